"""The Contact Us / help form API."""
