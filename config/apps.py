from django.contrib.admin.apps import AdminConfig


class CeasefireAdminConfig(AdminConfig):
    default_site = "config.admin_site.CeasefireAdminSite"
