"""Mail: the Mailer port, message building, and the outbox, SMTP and SES adapters.

Adapters are imported from their own modules (`radar.mail.ses` needs boto3; the others do not).
"""

from radar.mail.ports import Mailer

__all__ = ["Mailer"]
