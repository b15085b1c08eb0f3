"""Mail the mail service rejects for good (issue 13, item 12) reaches an operator: each mail
function counts it and an alarm watches the count, as for failed and uncertain sends."""

from __future__ import annotations

import pytest

from tests.infra.template_support import function_env
from tests.infra.test_template import TEMPLATE_DATA, resources_of


@pytest.mark.parametrize(
    ("function", "metric"),
    [("SendBriefingsFunction", "BriefingsRejected"), ("SendAlertsFunction", "AlertsRejected")],
)
def test_template_mail_functions_alarm_on_rejected_sends(function: str, metric: str) -> None:
    service = function_env(TEMPLATE_DATA, function)["POWERTOOLS_SERVICE_NAME"]
    alarms = [
        a["Properties"]
        for a in resources_of("AWS::CloudWatch::Alarm").values()
        if a["Properties"].get("MetricName") == metric
    ]
    assert [a["Dimensions"] for a in alarms] == [[{"Name": "service", "Value": service}]]
    assert alarms[0]["Threshold"] == 0 and alarms[0]["AlarmActions"]
