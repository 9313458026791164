"""The reseller partner portal's domain: catalog data, help requests, storage and mail.

Nothing in this package knows about Lambda events; the area handlers next to it translate
HTTP requests into calls on these modules.
"""
