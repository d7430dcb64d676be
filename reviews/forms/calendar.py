"""Forms of the calendar area: none. Creating, resetting and turning off a feed take no input; the
buttons on "My calendar" post only the CSRF token."""
