from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_delete, post_migrate, post_save, pre_save


class NegotiationsConfig(AppConfig):
    name = "negotiations"
    verbose_name = "Negotiations"

    def ready(self) -> None:
        from . import accounts, signals

        post_migrate.connect(signals.create_roles, sender=self)
        user_logged_in.connect(accounts.remember_password_change, dispatch_uid="password-change")
        for model_name in signals.SYNCED_MODELS:
            post_delete.connect(
                signals.record_tombstone,
                sender=self.get_model(model_name),
                dispatch_uid=f"tombstone-{model_name}",
            )
        for model_name in signals.GAZETTEER_FIELDS:
            model = self.get_model(model_name)
            uid = f"gazetteer-{model_name}"
            pre_save.connect(signals.remember_gazetteer_state, sender=model, dispatch_uid=uid)
            post_save.connect(signals.gazetteer_saved, sender=model, dispatch_uid=uid)
            post_delete.connect(signals.gazetteer_deleted, sender=model, dispatch_uid=uid)
