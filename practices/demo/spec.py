"""What the demo holds that no reference file does, in one place to read and correct.

The CCGs, their planning figures and their GPFV-era groups of practices come from the
planning documents the portal grew from (2016-17 figures, quoted in issue 2). Practices,
names, addresses, list sizes, contract types and CCG/STP structure come from the real NHS
files in ``data/reference/`` and are not repeated here.

Everything marked ``# invented`` is made up for the demo, to look like the NHS of 2016-19:
the documents name the groups but not which practice is in which, so practices are placed
by postcode, neighbours together. The people are invented too; there is no patient data.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from practices.models import CCG, Cluster, Role

# The first day of the GPFV plans: clusters and Primary Care Homes start here.
GPFV_START = dt.date(2016, 4, 1)

DELEGATED = CCG.CommissioningStatus.DELEGATED
JOINT = CCG.CommissioningStatus.JOINT
GREATER_INVOLVEMENT = CCG.CommissioningStatus.GREATER_INVOLVEMENT


@dataclass(frozen=True)
class Document:
    """One of the planning documents in ``../shared/seeds`` the demo's dated facts come from."""

    title: str
    file: str
    on: dt.date  # the date the document speaks as at


DORSET_2016 = Document(
    "Dorset Health Scrutiny Committee, 6 September 2016: NHS Dorset CCG, changes to GP commissioning "
    "and locality working", "001_18a970c1fc2dd05d.txt", dt.date(2016, 9, 6),
)  # fmt: skip
NORFOLK_2016 = Document(
    "NHS North Norfolk and NHS South Norfolk CCGs, GP Forward View Operational Plan, draft narrative, December 2016",
    "002_12d8ddf2ca54dd40.txt", dt.date(2016, 12, 1),
)  # fmt: skip
LUTON_2017 = Document(
    "Luton CCG GP Forward View plan, second submission, February 2017 (Bedfordshire, Luton and Milton Keynes STP)",
    "003_a55b64613d8b5875.txt", dt.date(2017, 2, 1),
)  # fmt: skip
WOLVERHAMPTON_2018 = Document(
    "Wolverhampton CCG, Overview of Primary Care Strategy, report to the Health and Wellbeing Board "
    "(position as reported in April 2018)", "004_6041cdbc5481370b.txt", dt.date(2018, 4, 30),
)  # fmt: skip
INVENTED = Document("Invented for the demo: no planning document gives this", "", dt.date(2016, 4, 1))


@dataclass(frozen=True)
class StatusSpec:
    """A commissioning status from the day it took effect, and the document that says so."""

    status: str
    effective_from: dt.date
    document: Document
    note: str = ""


@dataclass(frozen=True)
class PopulationSpec:
    """A population a document states for a CCG (``cluster`` blank) or one of its clusters."""

    ccg: str
    cluster: str
    population: int
    document: Document
    period: str = ""
    note: str = ""


@dataclass(frozen=True)
class ClusterSpec:
    """One GPFV-era group of practices of a CCG.

    Practices join by ``postcode_areas`` (a sector such as ``"LU1 3"`` wins over a district
    such as ``"LU1"``) or, where the document fixes the numbers, by the listed ``practices``.
    A ``federation`` also makes each member practice part of that GP federation.
    """

    name: str
    kind: str
    stated_population: int | None = None
    postcode_areas: tuple[str, ...] = ()
    practices: tuple[str, ...] = ()
    federation: str = ""


@dataclass(frozen=True)
class CCGSpec:
    """A demo CCG: its planning-document figures, its dated commissioning statuses and its groups."""

    ods_code: str
    stated_practices: int | None
    stated_population: int | None
    statuses: tuple[StatusSpec, ...]
    clusters: tuple[ClusterSpec, ...] = ()


def codes(text: str) -> tuple[str, ...]:
    """ODS codes written with spaces between them."""
    return tuple(text.split())


CLUSTER = Cluster.Kind.CLUSTER
LOCALITY = Cluster.Kind.LOCALITY
PRIMARY_CARE_HOME = Cluster.Kind.PRIMARY_CARE_HOME
PRACTICE_GROUP = Cluster.Kind.PRACTICE_GROUP

# Luton: "28 practices in 4 clusters, about 230,000 patients". The cluster names and areas are
# invented: one per part of the town, the small LU2 joined with south Luton.
LUTON = CCGSpec(
    "06P",
    stated_practices=28,
    stated_population=230_000,
    statuses=(
        StatusSpec(
            JOINT,
            dt.date(2016, 10, 1),
            LUTON_2017,
            "'formally moved into a joint commissioning arrangement with NHS England in October 2016'",
        ),
        StatusSpec(
            DELEGATED,
            dt.date(2017, 4, 1),
            LUTON_2017,
            "The plan says the CCG is 'planning on taking on full delegated responsibility'; "
            "the date is the demo's, not the plan's",
        ),
    ),  # fmt: skip
    clusters=(
        ClusterSpec("Luton Central", CLUSTER, postcode_areas=("LU1 1", "LU1 2")),  # invented
        ClusterSpec("Luton South and East", CLUSTER, postcode_areas=("LU1", "LU2")),  # invented
        ClusterSpec("Luton North", CLUSTER, postcode_areas=("LU3",)),  # invented
        ClusterSpec("Luton West", CLUSTER, postcode_areas=("LU4",)),  # invented
    ),
)

# Bedfordshire's population is the documents'. The five locality names are those the CCG used
# (not from the documents; check before relying on them); which postcodes make each is invented.
BEDFORDSHIRE = CCGSpec(
    "06F",
    stated_practices=None,
    stated_population=467_000,
    statuses=(StatusSpec(JOINT, dt.date(2016, 4, 1), INVENTED),),
    clusters=(
        ClusterSpec("Bedford", LOCALITY, postcode_areas=("MK40", "MK41", "MK42", "MK43 7", "MK43 9", "MK44")),
        ClusterSpec("West Mid Beds", LOCALITY, postcode_areas=("MK43 0", "MK45", "MK17")),
        ClusterSpec("Ivel Valley", LOCALITY, postcode_areas=("SG5", "SG15", "SG16", "SG17", "SG18", "SG19")),
        ClusterSpec("Leighton Buzzard", LOCALITY, postcode_areas=("LU7",)),
        ClusterSpec("Chiltern Vale", LOCALITY, postcode_areas=("LU1", "LU4", "LU5", "LU6")),
    ),
)

# Milton Keynes: the documents give only its population, so no localities.
MILTON_KEYNES = CCGSpec(
    "04F",
    stated_practices=None,
    stated_population=287_000,
    statuses=(StatusSpec(GREATER_INVOLVEMENT, dt.date(2015, 4, 1), INVENTED),),
)

# Norfolk: the CCG figures are the documents'; the localities, by market town, are invented.
# Both Norfolk CCGs: joint commissioning from April 2016 (invented), delegated from April 2017.
NORFOLK_STATUSES = (
    StatusSpec(JOINT, dt.date(2016, 4, 1), INVENTED),
    StatusSpec(
        DELEGATED,
        dt.date(2017, 4, 1),
        NORFOLK_2016,
        "Plan summary: 2016/17 'preparation for delegated commissioning', 2017/18 'commence delegated commissioning'",
    ),
)
NORTH_NORFOLK = CCGSpec(
    "06V",
    stated_practices=19,
    stated_population=172_083,
    statuses=NORFOLK_STATUSES,
    clusters=(
        ClusterSpec("Fakenham and Holt", LOCALITY, postcode_areas=("NR21", "NR23", "NR25", "NR26")),
        ClusterSpec("Cromer and North Walsham", LOCALITY, postcode_areas=("NR27", "NR28", "NR11 7", "NR11 8")),
        ClusterSpec("Aylsham and Drayton", LOCALITY, postcode_areas=("NR8", "NR10", "NR11", "NR12 7")),
        ClusterSpec("Broads", LOCALITY, postcode_areas=("NR12", "NR13", "NR29")),
    ),
)
SOUTH_NORFOLK = CCGSpec(
    "06Y",
    stated_practices=24,
    stated_population=234_063,
    statuses=NORFOLK_STATUSES,
    clusters=(
        ClusterSpec("Diss and Harleston", LOCALITY, postcode_areas=("IP20", "IP21", "IP22", "NR15")),
        ClusterSpec("Thetford and Attleborough", LOCALITY, postcode_areas=("IP24", "NR16", "NR17")),
        ClusterSpec("Dereham and Watton", LOCALITY, postcode_areas=("NR19", "NR20", "IP25")),
        ClusterSpec("Wymondham and Hingham", LOCALITY, postcode_areas=("NR18", "NR9")),
        ClusterSpec("Norwich South", LOCALITY, postcode_areas=("NR4", "NR14")),
    ),
)

# Wolverhampton: the four groups, their practice counts and populations are the documents'.
# Which practices are in each is invented (the groups by area; Vertical Integration, the
# practices run with the acute trust, spread over the city). 41 of the 47 practices open on
# 1 April 2016 are placed; the other six (three later dormant, three that closed by mid-2018)
# stay outside any group, as some practices did.
WOLVERHAMPTON = CCGSpec(
    "06A",
    stated_practices=None,
    stated_population=None,
    statuses=(
        StatusSpec(
            DELEGATED,
            GPFV_START,
            WOLVERHAMPTON_2018,
            "Section 3.3: 'the CCGs responsibilities as a fully delegated CCG'; the date is not in the report",
        ),
    ),  # fmt: skip
    clusters=(
        ClusterSpec(
            "Primary Care Home 1",
            PRIMARY_CARE_HOME,
            stated_population=72_000,
            practices=codes(  # invented: north and east (Wednesfield, Low Hill, Bushbury)
                "M92009 M92022 M92026 M92013 M92004 M92001 M92654 M92041 M92609"
            ),
        ),
        ClusterSpec(
            "Primary Care Home 2",
            PRIMARY_CARE_HOME,
            stated_population=67_000,
            practices=codes(  # invented: south and west (Penn, Castlecroft, Tettenhall)
                "M92011 M92044 M92024 M92043 M92008 M92010 M92029 M92640"
            ),
        ),
        ClusterSpec(
            "Medical Chambers",
            PRACTICE_GROUP,
            stated_population=96_000,
            practices=codes(  # invented: the city centre, Bilston and Whitmore Reans
                "M92028 M92040 M92630 M92042 M92612 M92012 M92035 M92016"
                " M92607 M92014 M92629 M92039 M92627 M92015 M92649 M92027"
            ),
        ),
        ClusterSpec(
            "Vertical Integration",
            PRACTICE_GROUP,
            stated_population=52_000,
            practices=codes(  # invented
                "M92002 M92007 Y02736 Y02636 Y02757 M92003 M92006 M92019"
            ),
        ),
    ),
)

# County Durham: "six federations between them". One federation per locality, the localities
# being the two CCGs' own areas; the federation names and the postcodes of each are invented.
NORTH_DURHAM = CCGSpec(
    "00J",
    stated_practices=None,
    stated_population=None,
    statuses=(StatusSpec(JOINT, dt.date(2015, 4, 1), INVENTED),),
    clusters=(
        ClusterSpec(
            "Chester-le-Street",
            LOCALITY,
            postcode_areas=("DH2", "DH3"),
            federation="Chester-le-Street GP Federation",
        ),
        ClusterSpec(
            "Derwentside",
            LOCALITY,
            postcode_areas=("DH8", "DH9", "DH7 0", "NE16", "NE17"),
            federation="Derwentside GP Federation",
        ),
        ClusterSpec(
            "Durham City",
            LOCALITY,
            postcode_areas=("DH1", "DH4", "DH6", "DH7"),
            federation="Durham City GP Federation",
        ),
    ),
)
# The planning documents give this CCG as 00C; 00C is NHS Darlington CCG in every reference
# file, and Durham Dales, Easington and Sedgefield is 00D.
DURHAM_DALES_EASINGTON_SEDGEFIELD = CCGSpec(
    "00D",
    stated_practices=None,
    stated_population=None,
    statuses=(StatusSpec(JOINT, dt.date(2015, 4, 1), INVENTED),),
    clusters=(
        ClusterSpec(
            "Durham Dales",
            LOCALITY,
            postcode_areas=("DL2", "DL12", "DL13", "DL14", "DL15"),
            federation="Durham Dales GP Federation",
        ),
        ClusterSpec(
            "Easington",
            LOCALITY,
            postcode_areas=("DH6", "SR7", "SR8", "TS27", "TS28"),
            federation="Easington GP Federation",
        ),
        ClusterSpec(
            "Sedgefield",
            LOCALITY,
            postcode_areas=("DL4", "DL5", "DL16", "DL17", "TS21"),
            federation="Sedgefield GP Federation",
        ),
    ),
)

# Dorset CCG's 13 localities (the documents give the number and a few names; the rest are the
# names the CCG used, to our knowledge); which postcodes make each one is invented.
DORSET = CCGSpec(
    "11J",
    stated_practices=None,
    stated_population=None,
    statuses=(
        StatusSpec(
            DELEGATED,
            dt.date(2016, 4, 1),
            DORSET_2016,
            "'received full delegation from NHS England ... on 1 April 2016'",
        ),
    ),  # fmt: skip
    clusters=(
        ClusterSpec("Bournemouth East", LOCALITY, postcode_areas=("BH1 4", "BH5", "BH6", "BH7")),
        ClusterSpec("Bournemouth North", LOCALITY, postcode_areas=("BH8", "BH9 2", "BH9 3", "BH10", "BH11")),
        ClusterSpec("Central Bournemouth", LOCALITY, postcode_areas=("BH1", "BH2", "BH3", "BH4", "BH8 8", "BH9")),
        ClusterSpec("Christchurch", LOCALITY, postcode_areas=("BH23",)),
        ClusterSpec("East Dorset", LOCALITY, postcode_areas=("BH21", "BH22", "BH24", "BH31")),
        ClusterSpec("Mid Dorset", LOCALITY, postcode_areas=("DT1", "DT2")),
        ClusterSpec("North Dorset", LOCALITY, postcode_areas=("DT9", "DT10", "DT11", "SP7", "SP8")),
        ClusterSpec("Poole Bay", LOCALITY, postcode_areas=("BH13", "BH14")),
        ClusterSpec("Poole Central", LOCALITY, postcode_areas=("BH12", "BH15")),
        ClusterSpec("Poole North", LOCALITY, postcode_areas=("BH16", "BH17", "BH18")),
        ClusterSpec("Purbeck", LOCALITY, postcode_areas=("BH19", "BH20")),
        ClusterSpec("Dorset West", LOCALITY, postcode_areas=("DT6", "DT7", "DT8")),
        ClusterSpec("Weymouth & Portland", LOCALITY, postcode_areas=("DT3", "DT4", "DT5")),
    ),
)

DEMO_CCGS: tuple[CCGSpec, ...] = (
    LUTON,
    BEDFORDSHIRE,
    MILTON_KEYNES,
    NORTH_NORFOLK,
    SOUTH_NORFOLK,
    WOLVERHAMPTON,
    NORTH_DURHAM,
    DURHAM_DALES_EASINGTON_SEDGEFIELD,
    DORSET,
)
# Every population the documents state, each with its document.
STATED_POPULATIONS: tuple[PopulationSpec, ...] = (
    PopulationSpec("06P", "", 230_000, LUTON_2017, note="'Luton (230,000)', section 1.1 Our Populations"),
    PopulationSpec("06F", "", 467_000, LUTON_2017, note="'At 467,000 Bedfordshire is the largest of the three CCGs'"),
    PopulationSpec("04F", "", 287_000, LUTON_2017, note="'Milton Keynes (287,000)'"),
    *(
        PopulationSpec(
            "06P",
            name,
            55_249,
            LUTON_2017,
            note="Table 10: 'average cluster size 55,249 registered patients; calculation based on a "
            "population of 240,000' (the plan gives the average, not each cluster's own figure)",
        )
        for name in ("Luton Central", "Luton South and East", "Luton North", "Luton West")
    ),  # fmt: skip
    PopulationSpec("06V", "", 172_083, NORFOLK_2016, note="1 Local context: 'North Norfolk ... 172,083'"),
    PopulationSpec("06Y", "", 234_063, NORFOLK_2016, note="1 Local context: 'South Norfolk ... 234,063'"),
    PopulationSpec("06A", "Primary Care Home 1", 72_000, WOLVERHAMPTON_2018, note="Appendix 1: 'c72k patients'"),
    PopulationSpec("06A", "Primary Care Home 2", 67_000, WOLVERHAMPTON_2018, note="Appendix 1: 'c67k patients'"),
    PopulationSpec("06A", "Medical Chambers", 96_000, WOLVERHAMPTON_2018, note="Appendix 1: 'c96k patients'"),
    PopulationSpec("06A", "Vertical Integration", 52_000, WOLVERHAMPTON_2018, note="Appendix 1: 'c52k patients'"),
)

DEMO_CCG_CODES: frozenset[str] = frozenset(ccg.ods_code for ccg in DEMO_CCGS)


@dataclass(frozen=True)
class BranchSpec:
    """A branch surgery of a real practice. All invented: the practice names suggest a second site."""

    practice: str
    name: str
    address_line_1: str
    town: str
    postcode: str


BRANCH_SITES: tuple[BranchSpec, ...] = (
    BranchSpec("D82028", "Stalham Green Surgery", "Yarmouth Road", "Stalham", "NR12 9PS"),
    BranchSpec("D82030", "Reepham Surgery", "Smugglers Lane", "Reepham", "NR10 4QT"),
    BranchSpec("D82042", "Kenninghall Surgery", "Church Street", "Kenninghall", "NR16 2EP"),
    BranchSpec("A83014", "Sherburn Surgery", "Front Street", "Sherburn", "DH6 1HB"),
    BranchSpec("A83045", "Chilton Surgery", "Durham Road", "Chilton", "DL17 0EX"),
)


# One shared password for every demo account, set only when the account is first created.
DEMO_PASSWORD = "nhs-demo-2017"  # noqa: S105 - a documented demo password, not a secret


@dataclass(frozen=True)
class PersonSpec:
    """A demo account (invented) and the role it holds for its organisations."""

    username: str
    first_name: str
    last_name: str
    kind: str
    ccgs: tuple[str, ...] = ()
    practice: str = ""

    @property
    def is_administrator(self) -> bool:
        return self.kind == Role.Kind.ADMINISTRATOR


DEMO_PEOPLE: tuple[PersonSpec, ...] = (
    PersonSpec("commissioner", "Sarah", "Whitfield", Role.Kind.COMMISSIONER, ccgs=("06P",)),
    PersonSpec("governing.body", "Michael", "Osei", Role.Kind.GOVERNING_BODY, ccgs=("06P",)),
    # The Medici Medical Practice, Luton.
    PersonSpec("practice.manager", "Karen", "Doyle", Role.Kind.PRACTICE_MANAGER, practice="E81073"),
    PersonSpec("commissioner.wolverhampton", "Gurpreet", "Sandhu", Role.Kind.COMMISSIONER, ccgs=("06A",)),
    # Tudor Medical Centre, Wolverhampton.
    PersonSpec("practice.manager.wolverhampton", "Lisa", "Morgan", Role.Kind.PRACTICE_MANAGER, practice="M92016"),
    PersonSpec("commissioner.norfolk", "James", "Howard", Role.Kind.COMMISSIONER, ccgs=("06V", "06Y")),
    PersonSpec("admin", "Portal", "Administrator", Role.Kind.ADMINISTRATOR),
)
