"""The demo cycles shown in the middle of the procedure (M-17, M-19.2 to M-19.7), and the next
cycle being prepared: what each is about, who applied, who reviewed, what was decided."""

from app.domain.enums import ApplicationStatus, Prize, ReviewStage, Stage

S = ApplicationStatus
MATERIAL, ONSITE = ReviewStage.MATERIAL, ReviewStage.ONSITE
# Past years free of real editions carry a cycle stopped at each stage in between; their names
# say they are demonstrations. 2028 is the next edition, still being prepared.
DEMO_STAGES = {
    2017: Stage.USER_EVALUATION,
    2018: Stage.ONSITE_REVIEW,
    2019: Stage.COMPREHENSIVE,
    2020: Stage.COMMITTEE_VOTE,
    2022: Stage.PUBLIC_NOTICE,
    2023: Stage.APPROVAL,
}
DRAFT_YEAR = 2028
STAGE_OF = {**DEMO_STAGES, DRAFT_YEAR: Stage.DRAFT}

AGENCIES = {
    2017: ("伊犁恒正质量技术服务有限公司", "YNSJ-CG-2017-012", "75000.00"),
    2018: ("伊犁恒正质量技术服务有限公司", "YNSJ-CG-2018-010", "75000.00"),
    2019: ("新疆卓越质量管理咨询有限公司", "YNSJ-CG-2019-014", "78000.00"),
    2020: ("新疆卓越质量管理咨询有限公司", "YNSJ-CG-2020-008", "78000.00"),
    2022: ("伊犁恒正质量技术服务有限公司", "YNSJ-CG-2022-015", "82000.00"),
    2023: ("新疆卓越质量管理咨询有限公司", "YNSJ-CG-2023-013", "82000.00"),
    DRAFT_YEAR: (None, None, "0.00"),
}
# year: (applications open, deadline, material review)
DATES = {
    2017: ("2017-03-15", "2017-05-31", "2017-07-10"),
    2018: ("2018-03-15", "2018-05-31", "2018-07-09"),
    2019: ("2019-03-15", "2019-05-31", "2019-07-08"),
    2020: ("2020-03-16", "2020-05-29", "2020-07-06"),
    2022: ("2022-03-15", "2022-05-31", "2022-07-11"),
    2023: ("2023-03-15", "2023-05-31", "2023-07-10"),
}
# The day each stage was entered; TODAY marks the notice that runs around the demo's today.
TODAY = "today"
NOTICE_BEFORE_TODAY = 3  # the running notice began 3 days before the demo's today
TIMELINES = {
    2017: ["2017-02-20", "2017-03-15", "2017-06-01", "2017-07-10", "2017-07-24"],
    2018: ["2018-02-20", "2018-03-15", "2018-06-01", "2018-07-09", "2018-07-23", "2018-08-20"],
    2019: [
        "2019-02-20",
        "2019-03-15",
        "2019-06-03",
        "2019-07-08",
        "2019-07-22",
        "2019-08-19",
        "2019-09-16",
    ],
    2020: [
        "2020-02-24",
        "2020-03-16",
        "2020-06-01",
        "2020-07-06",
        "2020-07-20",
        "2020-08-17",
        "2020-09-14",
        "2020-10-19",
    ],
    2022: [
        "2022-02-21",
        "2022-03-15",
        "2022-06-01",
        "2022-07-11",
        "2022-07-25",
        "2022-08-22",
        "2022-09-13",
        "2022-10-18",
        TODAY,
    ],
    2023: [
        "2023-02-20",
        "2023-03-15",
        "2023-06-01",
        "2023-07-10",
        "2023-07-24",
        "2023-08-21",
        "2023-09-18",
        "2023-10-23",
        "2023-10-30",
        "2023-11-06",
    ],
}

# Same shape as demo_cycles.APPLICATIONS; everyone here passed the eligibility review.
APPLICATIONS = {
    2017: [
        (Prize.AWARD, "tianshan", "miit", True, S.ELIGIBLE, "2017-06-14", {}),
        (Prize.AWARD, "hengxin", "housing", True, S.ELIGIBLE, "2017-06-14", {}),
        (Prize.AWARD, "jinggong", "miit", True, S.ELIGIBLE, "2017-06-14", {}),
        (Prize.NOMINATION, "li_jianhua", "association", True, S.ELIGIBLE, "2017-06-15", {}),
    ],
    2018: [
        (Prize.AWARD, "tianhe", "housing", True, S.ELIGIBLE, "2018-06-13", {}),
        (Prize.AWARD, "xuelian", "miit", True, S.ELIGIBLE, "2018-06-13", {}),
        (Prize.AWARD, "jinggong", "miit", True, S.ELIGIBLE, "2018-06-13", {}),
        (Prize.NOMINATION, "lab_team", "health", True, S.ELIGIBLE, "2018-06-14", {}),
    ],
    2019: [
        (Prize.AWARD, "silu", "association", True, S.ELIGIBLE, "2019-06-12", {}),
        (Prize.AWARD, "tianshan", "miit", True, S.ELIGIBLE, "2019-06-12", {}),
        (Prize.AWARD, "heating", "miit", True, S.ELIGIBLE, "2019-06-12", {}),
        (Prize.NOMINATION, "ayigul", "health", True, S.ELIGIBLE, "2019-06-13", {}),
        (Prize.NOMINATION, "wang_zhigang", "housing", True, S.ELIGIBLE, "2019-06-13", {}),
    ],
    2020: [
        (Prize.AWARD, "xuelian", "miit", True, S.ELIGIBLE, "2020-06-10", {}),
        (Prize.AWARD, "tianhe", "housing", True, S.ELIGIBLE, "2020-06-10", {}),
        (Prize.AWARD, "jinggong", "miit", True, S.ELIGIBLE, "2020-06-10", {}),
        (Prize.NOMINATION, "zhao_wenbo", "miit", True, S.ELIGIBLE, "2020-06-11", {}),
    ],
    2022: [
        (Prize.AWARD, "silu", "association", True, S.ELIGIBLE, "2022-06-14", {}),
        (Prize.AWARD, "kangyuan", "miit", True, S.ELIGIBLE, "2022-06-14", {}),
        (Prize.AWARD, "jinggong", "miit", True, S.ELIGIBLE, "2022-06-14", {}),
        (Prize.NOMINATION, "wang_zhigang", "housing", True, S.ELIGIBLE, "2022-06-15", {}),
        (Prize.NOMINATION, "nurgul", "miit", True, S.ELIGIBLE, "2022-06-15", {}),
    ],
    2023: [
        (Prize.AWARD, "heating", "miit", True, S.ELIGIBLE, "2023-06-13", {}),
        (Prize.AWARD, "tianhe", "housing", True, S.ELIGIBLE, "2023-06-13", {}),
        (Prize.AWARD, "xuelian", "miit", True, S.ELIGIBLE, "2023-06-13", {}),
        (Prize.NOMINATION, "lab_team", "health", True, S.ELIGIBLE, "2023-06-14", {}),
        (Prize.NOMINATION, "zhao_wenbo", "miit", True, S.ELIGIBLE, "2023-06-14", {}),
    ],
    DRAFT_YEAR: [],
}

# Same shape as demo_scores.GROUPS. Members are industry experts for what they review and have
# no tie to it: R003 consulted for the heating company, R005 for the orchard (M-25).
GROUPS = {
    2017: [
        (
            "2017年材料评审组",
            MATERIAL,
            ["R001", "R002", "R004"],
            "2017-07-21",
            {"tianshan": 80, "hengxin": 78, "jinggong": 66, "li_jianhua": 76},
        ),
    ],
    2018: [
        (
            "2018年材料评审组",
            MATERIAL,
            ["R001", "R003", "R004", "R008"],
            "2018-07-20",
            {"tianhe": 79, "xuelian": 77, "jinggong": 68, "lab_team": 78},
        ),
        # The on-site review under way: every demo reviewer login has sheets here.
        (
            "2018年现场评审组",
            ONSITE,
            ["R001", "R002", "R003", "R004", "R005"],
            None,
            {"tianhe": 81, "xuelian": 78, "lab_team": 80},
        ),
    ],
    2019: [
        (
            "2019年材料评审组",
            MATERIAL,
            ["R001", "R002", "R004", "R008"],
            "2019-07-19",
            {"silu": 82, "tianshan": 77, "heating": 77, "ayigul": 79, "wang_zhigang": 75},
        ),
        (
            "2019年现场评审组",
            ONSITE,
            ["R001", "R002", "R004", "R008"],
            "2019-09-06",
            {"silu": 84, "tianshan": 79, "heating": 79, "ayigul": 80, "wang_zhigang": 76},
        ),
    ],
    2020: [
        (
            "2020年材料评审组",
            MATERIAL,
            ["R001", "R002", "R005", "R008"],
            "2020-07-17",
            {"xuelian": 80, "tianhe": 78, "jinggong": 72, "zhao_wenbo": 76},
        ),
        (
            "2020年现场评审组",
            ONSITE,
            ["R001", "R002", "R005", "R008"],
            "2020-09-04",
            {"xuelian": 83, "tianhe": 79, "jinggong": 70, "zhao_wenbo": 77},
        ),
    ],
    2022: [
        (
            "2022年材料评审组",
            MATERIAL,
            ["R001", "R002", "R003", "R004"],
            "2022-07-22",
            {"silu": 81, "kangyuan": 78, "jinggong": 70, "wang_zhigang": 77, "nurgul": 74},
        ),
        (
            "2022年现场评审组",
            ONSITE,
            ["R001", "R002", "R003", "R004"],
            "2022-09-02",
            {"silu": 83, "kangyuan": 80, "wang_zhigang": 78, "nurgul": 74},
        ),
    ],
    2023: [
        (
            "2023年材料评审组",
            MATERIAL,
            ["R001", "R002", "R004", "R008"],
            "2023-07-21",
            {"heating": 81, "tianhe": 78, "xuelian": 75, "lab_team": 79, "zhao_wenbo": 74},
        ),
        (
            "2023年现场评审组",
            ONSITE,
            ["R001", "R002", "R004", "R008"],
            "2023-09-08",
            {"heating": 83, "tianhe": 79, "xuelian": 72, "lab_team": 80, "zhao_wenbo": 75},
        ),
    ],
}
OPEN_GROUP_DUE_DAYS = 10  # the open on-site review is due this many days after the demo's today
# The open 2018 on-site review: (applicant, reviewer) -> (submitted?, items scored, bias);
# sheets not listed are submitted. R003 (reviewer2) has finished; every other member has a
# draft to score, and R005's low sheet is flagged for the leader.
OPEN_SHEETS = {
    ("tianhe", "R002"): (False, 10, None),
    ("tianhe", "R005"): (True, 23, -20),
    ("xuelian", "R002"): (False, 0, None),
    ("xuelian", "R005"): (False, 0, None),
    ("lab_team", "R001"): (False, 0, None),
    ("lab_team", "R004"): (False, 15, None),
}
# Applicants scored exactly alike in both reviews: 2019 shows a tie the Committee decides (M-19.5).
TWINS = {"2019:heating": "2019:tianshan"}

# The on-site list the Office chose from the material ranking (M-19.2).
SHORTLISTS = {
    2017: {"tianshan", "hengxin", "li_jianhua"},
    2018: {"tianhe", "xuelian", "lab_team"},
    2019: {"silu", "tianshan", "heating", "ayigul", "wang_zhigang"},
    2020: {"xuelian", "tianhe", "jinggong", "zhao_wenbo"},
    2022: {"silu", "kangyuan", "wang_zhigang", "nurgul"},
    2023: {"heating", "tianhe", "xuelian", "lab_team", "zhao_wenbo"},
}
# The user evaluation under way in 2017: only these organizations have handed in their evidence.
SATISFACTION_SO_FAR = {2017: {"tianshan"}}
OWN_EVIDENCE = {"lab_team"}  # surveys its own users; the others by the cycle's agency

COMMITTEE_MEMBERS, PRESENT = 15, 13
# year: {applicant: (for, against, abstaining)}; a candidate not listed awaits its vote.
VOTES = {
    2020: {"xuelian": (12, 0, 1), "zhao_wenbo": (10, 2, 1)},
    2022: {
        "silu": (12, 1, 0),
        "kangyuan": (11, 1, 1),
        "wang_zhigang": (12, 0, 1),
        "nurgul": (9, 3, 1),
    },
    2023: {
        "heating": (13, 0, 0),
        "tianhe": (11, 1, 1),
        "lab_team": (12, 0, 1),
        "zhao_wenbo": (5, 6, 2),
    },
}
# year: (named objection: applicant, objector, contact, content, resolution or None while open;
#        anonymous objection: applicant, content)
OBJECTIONS = {
    2022: (
        (
            "kangyuan",
            "周建平",
            "13909997215",
            "反映该公司2021年曾因一批中药饮片标签标识不规范被药品监管部门责令整改，请核实是否影响评定。",
            None,
        ),
        ("silu", "匿名电话称该公司数据中心曾出现服务中断，未提供时间和具体事实。"),
    ),
    2023: (
        (
            "tianhe",
            "马国庆",
            "13899712046",
            "反映该公司承建的某安置房项目存在墙面开裂问题，业主投诉未得到及时处理。",
            "经市住房和城乡建设局现场核查，墙面裂缝为非结构性抹灰层裂缝，已于2023年8月完成维修，"
            "业主投诉已办结，不影响评定。已书面答复异议人。",
        ),
        ("heating", "匿名信件称该公司个别小区供暖温度不达标，未提供具体小区和时间。"),
    ),
}
