from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate


class NegotiationsConfig(AppConfig):
    name = "negotiations"
    verbose_name = "Negotiations"

    def ready(self) -> None:
        from . import signals

        post_migrate.connect(signals.create_roles, sender=self)
        for model_name in signals.SYNCED_MODELS:
            post_delete.connect(
                signals.record_tombstone,
                sender=self.get_model(model_name),
                dispatch_uid=f"tombstone-{model_name}",
            )
