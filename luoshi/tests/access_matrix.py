"""Who may use which URL: the table `test_access_matrix.py` checks, one letter per role.

Columns, in order: ROLES (logged-out visitor first), then "expired" (an office session past its
expiry, which must behave exactly like the logged-out column), then for /api/ rows one bearer
token per TOKEN_ROLES entry ("revoked": liaison_a's revoked token).

People (luoshi/conftest.py): office = 考评办/督查室 at the district; secretary = leader who sees
all; deputy = 分管 leader of 甲镇 and 区财政局; head_a / liaison_a = 甲镇's head and liaison;
liaison_a1 = liaison of a village under 甲镇; liaison_b = 乙街道's liaison; provider = 区财政局's
data provider; reviewer = appraisal reviewer; observer = observer at 乙街道; nobody = no
membership. Objects (access_world.py) belong to 甲镇 or the district.

An empty POST is sent to every page: an allowed role gets the form back with its errors (`.`)
or is sent on (`>`); a forbidden one is refused (`3`/`4`) before anything is read.
"""

from django.contrib import messages
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile

LEGEND = {
    ".": "200 shown",
    ">": "302 sent on (done, or to the right page)",
    "!": "302 back with an error message (allowed, but refused on its merits: state, input)",
    "L": "302 to the log-in page",
    "E": "400/422 input refused",
    "A": "401 no valid credentials",
    "3": "403 not this role's action",
    "4": "404 not visible to this person",
    "M": "405 method not offered",
    "R": "429 too many requests",
    "X": "5xx server error (never expected)",
}

ROLES = [
    "anon", "office", "secretary", "deputy", "head_a", "liaison_a", "liaison_a1",
    "liaison_b", "provider", "reviewer", "observer", "nobody",
]  # fmt: skip
TOKEN_ROLES = ["office", "liaison_a", "liaison_b", "provider", "revoked"]


def letter_for(response) -> str:
    status = response.status_code
    if status >= 500:
        return "X"
    if status in (301, 302):
        if response["Location"].split("?")[0].endswith("/login/"):
            return "L"
        refused = any(m.level == messages.ERROR for m in get_messages(response.wsgi_request))
        return "!" if refused else ">"
    return {401: "A", 403: "3", 404: "4", 405: "M", 429: "R", 400: "E", 422: "E"}.get(
        status, "." if status < 300 else "?"
    )


# What a POST carries, so that an allowed role gets as far as the action's own permission
# check (an empty form would be sent back before it). `world` is access_world.build_world's.
POST_DATA = {
    "supervision/tasks/<int:pk>/send-back/": lambda w: {"reason": "材料不全"},
    "supervision/tasks/<int:pk>/extension/": lambda w: {
        "new_deadline": "2027-06-30", "reason": "汛期停工",
    },
    "supervision/tasks/<int:pk>/split/": lambda w: {"units": [w.village_a1.pk]},
    "supervision/tasks/<int:pk>/report/": lambda w: {"text": "完成八成", "percent": 80},
    "supervision/reports/<int:pk>/return/": lambda w: {"reason": "请补充照片"},
    "supervision/units/<int:unit_pk>/monthly/<str:month>/": lambda w: {"summary": "本月完成"},
    "sources/<int:pk>/speech/": lambda w: {
        "file": SimpleUploadedFile("讲话.txt", "一是要抓好落实。\n".encode()),
    },
    "evaluation/runs/<int:pk>/publish/": lambda w: {"reason": "数据更正"},
    "projects/leads/<int:pk>/move/": lambda w: {"on": "2026-11-20", "evidence": "签约协议"},
    "projects/obstacles/<int:pk>/solve/": lambda w: {"resolution": "已协调用地指标"},
    "incentives/exemptions/apply/<int:pk>/": lambda w: {"facts": "暴雨停工，已及时报告。"},
    "api/v1/tasks/<task_id>/reports": lambda w: {"text": "完成八成", "percent": 80},
    "api/v1/indicators/<code>/values/<period>": lambda w: {
        "values": [{"unit_code": "A", "value": "101"}],
    },
    "api/v1/indicators/<code>/targets/<period>": lambda w: {
        "targets": [{"unit_code": "A", "value": "120"}],
    },
}  # fmt: skip

# route: (arguments as name=world attribute, {method: letters per column})
EXPECTED = {
    '': ('', {'GET': 'L...........L', 'POST': 'L...........L'}),
    'health/': ('', {'GET': '.............', 'POST': '.............'}),
    'health/jobs/': ('', {'GET': '.............', 'POST': '.............'}),
    'login/': ('', {'GET': '.>>>>>>>>>>>.', 'POST': '.>>>>>>>>>>>.'}),
    'logout/': ('', {'GET': 'LMMMMMMMMMMML', 'POST': 'LLLLLLLLLLLLL'}),
    'password/': ('', {'GET': 'L...........L', 'POST': 'L...........L'}),
    'units/': ('', {'GET': 'L...........L', 'POST': 'L...........L'}),
    'units/import/': ('', {'GET': 'L.3333333333L', 'POST': 'L.3333333333L'}),
    'units/classes/': ('', {'GET': 'L...........L', 'POST': 'L.3333333333L'}),
    'units/export.xlsx': ('', {'GET': 'L...........L', 'POST': 'L...........L'}),
    'units/<int:pk>/': ('pk=unit_a', {'GET': 'L.....444.44L', 'POST': 'L.....444.44L'}),
    'units/<int:pk>/children/': ('pk=unit_a', {'GET': 'L.....444.44L', 'POST': 'L.....444.44L'}),
    'units/<int:pk>/new/': ('pk=unit_a', {'GET': 'L.3333444344L', 'POST': 'L.3333444344L'}),
    'units/<int:pk>/edit/': ('pk=unit_a', {'GET': 'L.3333444344L', 'POST': 'L.3333444344L'}),
    'units/<int:pk>/retire/': ('pk=unit_a', {'GET': 'LMMMMMMMMMMML', 'POST': 'L!3333444344L'}),
    'units/<int:pk>/merge/': ('pk=unit_a', {'GET': 'LMMMMMMMMMMML', 'POST': 'L!3333444344L'}),
    'units/<int:pk>/oversight/': ('pk=unit_a', {'GET': 'LMMMMMMMMMMML', 'POST': 'L!3333444344L'}),
    'units/oversight/<int:pk>/remove/': ('pk=oversight', {'GET': 'LMMMMMMMMMMML', 'POST': 'L>3333444344L'}),
    'accounts/people/': ('', {'GET': 'L.3333333333L', 'POST': 'L.3333333333L'}),
    'accounts/people/new/': ('', {'GET': 'L.3333333333L', 'POST': 'L.3333333333L'}),
    'accounts/people/<int:pk>/': ('pk=person', {'GET': 'L.3333333333L', 'POST': 'L.3333333333L'}),
    'accounts/people/<int:pk>/reset-password/': ('pk=person', {'GET': 'LMMMMMMMMMMML', 'POST': 'L>3333333333L'}),
    'accounts/people/<int:pk>/unlock/': ('pk=person', {'GET': 'LMMMMMMMMMMML', 'POST': 'L>3333333333L'}),
    'accounts/people/<int:pk>/active/': ('pk=person', {'GET': 'LMMMMMMMMMMML', 'POST': 'L>3333333333L'}),
    'accounts/memberships/<int:pk>/end/': ('pk=membership', {'GET': 'LMMMMMMMMMMML', 'POST': 'L>3333333333L'}),
    'accounts/tokens/': ('', {'GET': 'L...........L', 'POST': 'L...........L'}),
    'accounts/tokens/<int:pk>/revoke/': ('pk=token', {'GET': 'LMMMMMMMMMMML', 'POST': 'L4444>444444L'}),
    'audit/': ('', {'GET': 'L.3333333333L', 'POST': 'L.3333333333L'}),
    'audit/<int:pk>/': ('pk=event', {'GET': 'L.3333333333L', 'POST': 'L.3333333333L'}),
    'audit/verify/': ('', {'GET': 'L.3333333333L', 'POST': 'L.3333333333L'}),
    'supervision/': ('', {'GET': 'L...........L', 'POST': 'L...........L'}),
    'supervision/board/': ('', {'GET': 'L...........L', 'POST': 'L...........L'}),
    'supervision/filters/<int:pk>/delete/': ('pk=saved_filter', {'GET': 'LMMMMMMMMMMML', 'POST': 'L4444>444444L'}),
    'supervision/tasks/new/': ('', {'GET': 'L.3333333333L', 'POST': 'L.3333333333L'}),
    'supervision/tasks/<int:pk>/': ('pk=task', {'GET': 'L.....444.44L', 'POST': 'L.....444.44L'}),
    'supervision/tasks/<int:pk>/edit/': ('pk=task', {'GET': 'L.3333444344L', 'POST': 'L.3333444344L'}),
    'supervision/tasks/<int:pk>/assign/': ('pk=task', {'GET': 'LMMMMMMMMMMML', 'POST': 'L!3333444344L'}),
    'supervision/tasks/<int:pk>/accept/': ('pk=task', {'GET': 'LMMMMMMMMMMML', 'POST': 'L333!!444344L'}),
    'supervision/tasks/<int:pk>/request-completion/': ('pk=task', {'GET': 'LMMMMMMMMMMML', 'POST': 'L333>>444344L'}),
    'supervision/tasks/<int:pk>/start-review/': ('pk=task', {'GET': 'LMMMMMMMMMMML', 'POST': 'L!3333444344L'}),
    'supervision/tasks/<int:pk>/complete/': ('pk=task', {'GET': 'LMMMMMMMMMMML', 'POST': 'L!3333444344L'}),
    'supervision/tasks/<int:pk>/send-back/': ('pk=task', {'GET': 'LMMMMMMMMMMML', 'POST': 'L!3333444344L'}),
    'supervision/tasks/<int:pk>/extension/': ('pk=task', {'GET': 'LMMMMMMMMMMML', 'POST': 'L333!!444344L'}),
    'supervision/tasks/<int:pk>/chase/': ('pk=task', {'GET': 'LMMMMMMMMMMML', 'POST': 'L>3333444344L'}),
    'supervision/tasks/<int:pk>/notice/': ('pk=task', {'GET': 'LMMMMMMMMMMML', 'POST': 'L>3333444344L'}),
    'supervision/tasks/<int:pk>/split/': ('pk=task', {'GET': 'LMMMMMMMMMMML', 'POST': 'L>3333444344L'}),
    'supervision/tasks/<int:pk>/report/': ('pk=task', {'GET': 'LMMMMMMMMMMML', 'POST': 'L333>>444344L'}),
    'supervision/extensions/<int:pk>/decide/': ('pk=extension', {'GET': 'LMMMMMMMMMMML', 'POST': 'L!3333444344L'}),
    'supervision/reports/<int:pk>/approve/': ('pk=report', {'GET': 'LMMMMMMMMMMML', 'POST': 'L333>3444344L'}),
    'supervision/reports/<int:pk>/accept/': ('pk=report', {'GET': 'LMMMMMMMMMMML', 'POST': 'L!3333444344L'}),
    'supervision/reports/<int:pk>/return/': ('pk=report', {'GET': 'LMMMMMMMMMMML', 'POST': 'L>33>3444344L'}),
    'supervision/notices/<int:pk>/': ('pk=notice', {'GET': 'L.....444.44L', 'POST': 'L.....444.44L'}),
    'supervision/evidence/<int:pk>/': ('pk=evidence', {'GET': 'L.....444.44L', 'POST': 'L.....444.44L'}),
    'supervision/interviews/': ('', {'GET': 'L...33333333L', 'POST': 'L...33333333L'}),
    'supervision/my/': ('', {'GET': 'L...........L', 'POST': 'L...........L'}),
    'supervision/review/': ('', {'GET': 'L.3333333333L', 'POST': 'L.3333333333L'}),
    'supervision/leader/': ('', {'GET': 'L...........L', 'POST': 'L...........L'}),
    'supervision/units/<int:unit_pk>/monthly/<str:month>/': ('unit_pk=unit_a month=month', {'GET': 'L.....444.44L', 'POST': 'L333>>444344L'}),
    'supervision/rules/': ('', {'GET': 'L.3333333333L', 'POST': 'L.3333333333L'}),
    'supervision/calendar/': ('', {'GET': 'L.3333333333L', 'POST': 'L.3333333333L'}),
    'supervision/export.xlsx': ('', {'GET': 'L...........L', 'POST': 'L...........L'}),
    'supervision/ledger.xlsx': ('', {'GET': 'L...........L', 'POST': 'L...........L'}),
    'supervision/import/': ('', {'GET': 'L.3333333333L', 'POST': 'L.3333333333L'}),
    'sources/': ('', {'GET': 'L...........L', 'POST': 'L...........L'}),
    'sources/new/': ('', {'GET': 'L.3333333333L', 'POST': 'L.3333333333L'}),
    'sources/<int:pk>/': ('pk=source', {'GET': 'L..444444.44L', 'POST': 'L..444444.44L'}),
    'sources/files/<int:pk>/': ('pk=source_file', {'GET': 'L..444444.44L', 'POST': 'L..444444.44L'}),
    'sources/<int:pk>/speech/': ('pk=source', {'GET': 'LMMMMMMMMMMML', 'POST': 'L>3444444344L'}),
    'sources/speeches/<int:pk>/': ('pk=speech', {'GET': 'L..444444.44L', 'POST': 'L>3444444344L'}),
    'inbox/': ('', {'GET': 'L...........L', 'POST': 'L...........L'}),
    'inbox/read/': ('', {'GET': 'LMMMMMMMMMMML', 'POST': 'L>>>>>>>>>>>L'}),
    'indicators/': ('', {'GET': 'L.333333.333L', 'POST': 'L.333333.333L'}),
    'indicators/<slug:code>/<str:period>/': ('code=indicator period=period', {'GET': 'L.444444.444L', 'POST': 'L>444444>444L'}),
    'indicators/<slug:code>/<str:period>/download.xlsx': ('code=indicator period=period', {'GET': 'L.444444.444L', 'POST': 'L.444444.444L'}),
    'indicators/<slug:code>/<str:period>/upload/': ('code=indicator period=period', {'GET': 'LMMMMMMMMMMML', 'POST': 'L!444444!444L'}),
    'indicators/<slug:code>/<str:period>/<str:move>/': ('code=indicator period=period move=move', {'GET': 'LMMMMMMMMMMML', 'POST': 'L>444444>444L'}),
    'evaluation/': ('', {'GET': 'L...........L', 'POST': 'L.3333333333L'}),
    'evaluation/runs/<int:pk>/': ('pk=run', {'GET': 'L.....4.4..4L', 'POST': 'L.....4.4..4L'}),
    'evaluation/runs/<int:pk>/publish/': ('pk=run', {'GET': 'LMMMMMMMMMMML', 'POST': 'L>3333434334L'}),
    'evaluation/runs/<int:pk>/units/<int:unit_pk>/': ('pk=run unit_pk=unit_a', {'GET': 'L>>>>>>>>>>>L', 'POST': 'L>>>>>>>>>>>L'}),
    'evaluation/adjustments/': ('', {'GET': 'L.3333333333L', 'POST': 'L.3333333333L'}),
    'evaluation/adjustments/<int:pk>/decide/': ('pk=adjustment', {'GET': 'LMMMMMMMMMMML', 'POST': 'L!3333333333L'}),
    'evaluation/schemes/': ('', {'GET': 'L.3333333333L', 'POST': 'L.3333333333L'}),
    'evaluation/schemes/<slug:code>/': ('code=scheme', {'GET': 'L.3333333333L', 'POST': 'L.3333333333L'}),
    'evaluation/schemes/<slug:code>/nodes/<int:pk>/remove/': ('code=scheme pk=node', {'GET': 'LMMMMMMMMMMML', 'POST': 'L!3333333333L'}),
    'evaluation/schemes/<slug:code>/new-version/': ('code=scheme', {'GET': 'LMMMMMMMMMMML', 'POST': 'L>3333333333L'}),
    'results/public/': ('', {'GET': '4444444444444', 'POST': '4444444444444'}),
    'results/public/runs/<int:pk>/': ('pk=run', {'GET': '4444444444444', 'POST': '4444444444444'}),
    'results/public/runs/<int:pk>/units/<int:unit_pk>/': ('pk=run unit_pk=unit_a', {'GET': '4444444444444', 'POST': '4444444444444'}),
    'results/dashboard/': ('', {'GET': 'L...........L', 'POST': 'L...........L'}),
    'results/dashboard/units/<int:pk>/': ('pk=unit_a', {'GET': 'L.....444.44L', 'POST': 'L.....444.44L'}),
    'results/runs/<int:pk>/': ('pk=run', {'GET': 'L.....4.4..4L', 'POST': 'L.....4.4..4L'}),
    'results/runs/<int:pk>/league.xlsx': ('pk=run', {'GET': 'L.....4.4..4L', 'POST': 'L.....4.4..4L'}),
    'results/runs/<int:pk>/units/<int:unit_pk>/': ('pk=run unit_pk=unit_a', {'GET': 'L.....444.44L', 'POST': 'L.....444.44L'}),
    'results/runs/<int:pk>/documents/': ('pk=run', {'GET': 'LMMMMMMMMMMML', 'POST': 'L>3333434334L'}),
    'results/runs/<int:pk>/units/<int:unit_pk>/statement/': ('pk=run unit_pk=unit_a', {'GET': 'LMMMMMMMMMMML', 'POST': 'L>33>>444344L'}),
    'results/tasks/<int:pk>/order/': ('pk=task', {'GET': 'LMMMMMMMMMMML', 'POST': 'L>3333444344L'}),
    'results/meetings/<int:pk>/pack/': ('pk=source', {'GET': 'LMMMMMMMMMMML', 'POST': 'L>3444444344L'}),
    'results/documents/<int:pk>/': ('pk=document', {'GET': 'L..444444.44L', 'POST': 'L..444444.44L'}),
    'results/^documents/(?P<pk>\\d+)/(?P<fmt>docx|pdf)/$': ('pk=document fmt=fmt', {'GET': 'L..444444.44L', 'POST': 'L..444444.44L'}),
    'projects/': ('', {'GET': 'L...........L', 'POST': 'L...........L'}),
    'projects/new/': ('', {'GET': 'L.3333333333L', 'POST': 'L.3333333333L'}),
    'projects/<int:pk>/': ('pk=project', {'GET': 'L.....44..44L', 'POST': 'L.....44..44L'}),
    'projects/<int:pk>/edit/': ('pk=project', {'GET': 'L.3333333333L', 'POST': 'L.3333333333L'}),
    'projects/leads/': ('', {'GET': 'L...........L', 'POST': 'L...........L'}),
    'projects/leads/<int:pk>/move/': ('pk=lead', {'GET': 'LMMMMMMMMMMML', 'POST': 'L!33!!444344L'}),
    'projects/obstacles/': ('', {'GET': 'L...........L', 'POST': 'L...........L'}),
    'projects/obstacles/<int:pk>/solve/': ('pk=obstacle', {'GET': 'LMMMMMMMMMMML', 'POST': 'L>3333443344L'}),
    'projects/schedule.xlsx': ('', {'GET': 'L...........L', 'POST': 'L...........L'}),
    'incentives/': ('', {'GET': 'L...........L', 'POST': 'L...........L'}),
    'incentives/exemptions/': ('', {'GET': 'L...........L', 'POST': 'L...........L'}),
    'incentives/exemptions/apply/<int:pk>/': ('pk=adjustment', {'GET': 'LMMMMMMMMMMML', 'POST': 'L333!!444344L'}),
    'incentives/exemptions/<int:pk>/decide/': ('pk=application', {'GET': 'LMMMMMMMMMMML', 'POST': 'L!3333444344L'}),
    'incentives/precedents/': ('', {'GET': 'L...........L', 'POST': 'L...........L'}),
    'incentives/precedents/<int:pk>/review/': ('pk=application', {'GET': 'LMMMMMMMMMMML', 'POST': 'L!3333444344L'}),
    'incentives/awards/': ('', {'GET': 'L...........L', 'POST': 'L43333333333L'}),
    'incentives/ratings/': ('', {'GET': 'L...........L', 'POST': 'L44444444444L'}),
    'incentives/highlights/': ('', {'GET': 'L...........L', 'POST': 'L44444444444L'}),
    'incentives/rate/<slug:token>/': ('token=rating_token', {'GET': '.............', 'POST': '.............'}),
    'api/v1/openapi.json': ('', {'GET': '..................'}),
    'api/v1/docs': ('', {'GET': '..................'}),
    'api/v1/me': ('', {'GET': 'A...........A....A'}),
    'api/v1/units': ('', {'GET': 'A...........A....A'}),
    'api/v1/units/<unit_id>': ('unit_id=unit_a', {'GET': 'A.....444.44A..44A'}),
    'api/v1/units/<unit_id>/children': ('unit_id=unit_a', {'GET': 'A.....444.44A..44A'}),
    'api/v1/tasks': ('', {'GET': 'A...........A....A'}),
    'api/v1/tasks/<task_id>': ('task_id=task', {'GET': 'A.....444.44A..44A'}),
    'api/v1/tasks/<task_id>/reports': ('task_id=task', {'GET': 'A.....444.44A..44A', 'POST': 'A333..444344A3.44A'}),
    'api/v1/sources': ('', {'GET': 'A...........A....A'}),
    'api/v1/sources/<source_id>': ('source_id=source', {'GET': 'A..444444.44A.444A'}),
    'api/v1/indicators': ('', {'GET': 'A...........A....A'}),
    'api/v1/indicators/<code>/values/<period>': ('code=indicator period=period', {'GET': 'A.444444.444A.44.A', 'PUT': 'A.444444.444A.44.A'}),
    'api/v1/indicators/<code>/targets/<period>': ('code=indicator period=period', {'GET': 'A.444444.444A.44.A', 'PUT': 'A.4444443444A.443A'}),
    'api/v1/runs': ('', {'GET': 'A...........A....A'}),
    'api/v1/runs/<run_id>/results': ('run_id=run', {'GET': 'A.....4.4..4A...4A'}),
    'api/v1/runs/<run_id>/units/<unit_id>/items': ('run_id=run unit_id=unit_a', {'GET': 'A.....444.44A..44A'}),
    'api/v1/schemes': ('', {'GET': 'A...........A....A'}),
    'api/v1/schemes/<code>': ('code=scheme', {'GET': 'A..........4A....A'}),
    'api/v1/': ('', {'GET': '444444444444444444'}),
}  # fmt: skip
