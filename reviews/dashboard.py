"""The reviews app's contribution to the shell: its menu and its dashboard panels."""

from qms.navigation import Menu, register_menu

MENUS = (Menu(label="Meetings and actions", order=30, items=()),)

PANELS = ()


def register() -> None:
    for menu in MENUS:
        register_menu(menu)
