"""Request New Password and the one-time login link."""
