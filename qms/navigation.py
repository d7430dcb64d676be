"""The shell's navigation menu, contributed by the apps (see `qms.dashboard` for why)."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class MenuItem:
    label: str
    url_name: str
    permission: str = ""
    icon: str = ""


@dataclass(frozen=True)
class Menu:
    """One top-level menu of the navigation bar: an app's pages."""

    label: str
    order: int
    items: tuple[MenuItem, ...] = field(default_factory=tuple)


_menus: dict[str, Menu] = {}


def register_menu(menu: Menu) -> None:
    """Add an app's menu; a second app registering the same label adds its items to that menu."""
    existing = _menus.get(menu.label)
    if existing is not None and existing is not menu:
        items = existing.items + tuple(item for item in menu.items if item not in existing.items)
        menu = Menu(label=menu.label, order=min(existing.order, menu.order), items=items)
    _menus[menu.label] = menu


def menus_for(user) -> list[tuple[Menu, list[MenuItem]]]:
    """The menus and items the user may open; a menu with no such item is left out."""
    result = []
    for menu in sorted(_menus.values(), key=lambda m: m.order):
        items = [i for i in menu.items if not i.permission or user.has_perm(i.permission)]
        if items:
            result.append((menu, items))
    return result
