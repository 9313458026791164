"""Signing in and out, who am I, and changing the password."""
