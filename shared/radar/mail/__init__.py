"""Mail: the Mailer port, message building, and the outbox, SMTP and SES adapters.

Adapters are imported from their own modules (`radar.mail.ses` needs boto3; the others do not).
"""

from radar.mail.ports import Mailer
from radar.settings import Settings

__all__ = ["Mailer", "build_mailer"]


def build_mailer(settings: Settings) -> Mailer:
    """The mailer the settings name: the outbox folder (default), SMTP or SES."""
    if settings.mail_backend == "ses":
        from radar.mail.ses import SesMailer

        return SesMailer(configuration_set=settings.ses_configuration_set)
    if settings.mail_backend == "smtp":
        from radar.mail.smtp import SmtpMailer

        return SmtpMailer(
            settings.require("smtp_host"),
            settings.smtp_port,
            user=settings.smtp_user,
            password=settings.smtp_password.get_secret_value() if settings.smtp_password else "",
            starttls=settings.smtp_starttls,
            timeout=settings.smtp_timeout,
        )
    from radar.mail.outbox import OutboxMailer

    return OutboxMailer(settings.outbox_dir)
