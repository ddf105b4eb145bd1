"""Append a checkpoint of the audit chain and the row history (beat does it too)."""

from django.core.management.base import BaseCommand

from peacekeeping.checkpoints import audit_checkpoint_take


class Command(BaseCommand):
    help = "Record the audit chain's head and both history tables' sizes (append-only)."

    def handle(self, *args, **options):
        checkpoint = audit_checkpoint_take()
        if checkpoint is None:
            self.stdout.write("nothing written since the last checkpoint")
        else:
            self.stdout.write(
                f"checkpoint {checkpoint.pk}: audit {checkpoint.audit_count} entries up to "
                f"{checkpoint.audit_last_id} ({checkpoint.audit_last_hash}), row history "
                f"{checkpoint.history_count} up to {checkpoint.history_last_id}"
            )
