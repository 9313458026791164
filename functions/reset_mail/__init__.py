"""The worker of Request New Password: mails the one-time links of queued requests."""
