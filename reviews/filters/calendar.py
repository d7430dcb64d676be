"""Filters of the calendar area: none. A person has one feed, and the feed itself is not filtered:
calendar apps need every meeting and action in it to keep the subscribed calendar in step."""
