"""Apps add their pages to the shell's menus without knowing about each other."""

from qms import navigation
from qms.navigation import Menu, MenuItem


def test_a_second_app_adds_its_items_to_a_menu_of_the_same_label(monkeypatch):
    monkeypatch.setattr(navigation, "_menus", {})
    navigation.register_menu(Menu("My work", order=5, items=(MenuItem("Our policy", "a:policy"),)))
    navigation.register_menu(
        Menu("My work", order=7, items=(MenuItem("My actions", "b:actions"), MenuItem("Our policy", "a:policy")))
    )

    (menu,) = navigation._menus.values()
    assert [item.label for item in menu.items] == ["Our policy", "My actions"]
    assert menu.order == 5


def test_the_my_work_menu_holds_the_personal_pages_of_every_app(employee):
    (menu,) = [m for m in navigation._menus.values() if m.label == "My work"]
    urls = {item.url_name for item in menu.items}
    assert {"leadership:policy-current", "reviews:my-actions", "reviews:calendar"} <= urls
