"""Notifications in the app: what needs a user, in their scope, and how they hear of it.

Domain services call `notify_later(...)` inside their transaction; the event goes out
through the transactional outbox (peacekeeping/outbox.py) once it commits, and the Celery
task `notify_event` creates one `Notification` per recipient in scope, then e-mails those
who chose "at once". A daily task (`scan_notification_deadlines`) finds communications
due or overdue and detentions without trial past the threshold; another
(`send_notification_digest`) sends each "daily digest" reader one e-mail.
"""
