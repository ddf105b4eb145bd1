"""The demo data set's attacks and their cases, and the capacity support given (the
accounts, armed groups and peacekeepers are in data.py, which re-exports these tables).

Dates are days before the anchor day ("ago"). Every name of a suspect is invented.
Civil-law terms for the Central African Republic, the DRC and Mali (mandat d'arrêt,
inculpation, renvoi devant la cour d'assises), common-law terms for South Sudan (warrant,
charge, committal).
"""
# ruff: noqa: E501 (the tables keep each source and legal term on one line)

from dataclasses import dataclass, field

from accountability.choices import FollowUpChannel as Channel
from accountability.choices import Institution, SupportKind
from accountability.choices import InvestigatingAuthority as Authority
from accountability.choices import InvestigationStatus as IS
from accountability.choices import ProcedureStepKind as K
from incidents.choices import AttackType as A
from incidents.choices import IncidentType, Outcome
from missions.choices import PersonnelCategory

MIL, FPU = PersonnelCategory.MILITARY_CONTINGENT, PersonnelCategory.FORMED_POLICE_UNIT
NAT = PersonnelCategory.NATIONAL_STAFF

# fmt: off
# --- incidents and cases ----------------------------------------------------------------
# Dates are days before the anchor day ("ago"). Sources may name "{y}", the year of the
# date they belong to, and "{n}", a document number.


def hit(who: str, outcome: str, **extra) -> dict:
    """A casualty: a peacekeeper's key in PERSONNEL, or "category:ISO3" when unnamed."""
    return {"who": who, "outcome": outcome, **extra}


def step(kind: str, ago: int, legal_term: str, source: str, sentence: str = "") -> tuple:
    return (kind, ago, legal_term, source, sentence)


@dataclass
class CaseSpec:
    opened: int | None  # days ago; None: opened by the incident's submission, today
    investigations: list[dict] = field(default_factory=list)
    suspects: list[dict] = field(default_factory=list)
    follow_ups: list[tuple] = field(default_factory=list)  # (ago, channel, summary, due, reply)


# Civil law (CAF, COD, MLI).
IDENT_FR = "Procès-verbal d'audition de témoin n° {n}/{y}"
WARRANT = "mandat d'arrêt"
ARREST_FR = "interpellation"
CHARGE_FR = "inculpation"
REMAND_FR = "mandat de dépôt"
RENVOI = "renvoi devant la cour d'assises"

INCIDENTS = [
    # MINUSCA — Central African Republic -----------------------------------------------
    dict(
        key="A", mission="MINUSCA", ago=1310, attack=A.AMBUSH, by=["AB"],
        place="Axe Bangassou–Rafaï, 12 km east of Bangassou", area="Mbomou",
        lat=4.74, lon=22.93,
        narrative="A logistics convoy was ambushed by about forty armed men; one peacekeeper "
        "was killed and two were wounded in the exchange of fire.",
        sources="Flash report MINUSCA/JOC/{y}/{n}; Procès-verbal de constat de la gendarmerie",
        casualties=[hit("rwa1", Outcome.KILLED), hit("zmb1", Outcome.INJURED),
                    hit(f"{MIL}:RWA", Outcome.INJURED)],
        case=CaseSpec(
            opened=1305,
            investigations=[dict(
                authority=Authority.PROSECUTOR, ago=1300,
                name="Procureur de la République près le Tribunal de grande instance de Bangassou",
                source="Réquisitoire introductif d'instance n° {n}/PR-TGI-BGS/{y}",
                updates=[(IS.SUSPECTS_IDENTIFIED, 1180, "Rapport d'enquête de la SRI n° {n}/{y}"),
                         (IS.REFERRED_FOR_TRIAL, 700,
                          "Arrêt de renvoi de la chambre d'accusation de la Cour d'appel de Bangui")],
            )],
            suspects=[
                dict(name="Faustin Ngbangou-Yérima", alias="Colonel Tonnerre", group="AB",
                     nationality="CAF", steps=[
                    step(K.IDENTIFIED, 1180, "", IDENT_FR),
                    step(K.WARRANT_ISSUED, 1170, WARRANT, "Mandat d'arrêt du juge d'instruction, cabinet n° 2, TGI de Bangassou"),
                    step(K.ARRESTED, 1090, ARREST_FR, "Procès-verbal d'interpellation n° {n}/GEND-BGS/{y}"),
                    step(K.CHARGED, 1088, CHARGE_FR, "Procès-verbal de première comparution"),
                    step(K.DETAINED, 1088, REMAND_FR, "Mandat de dépôt, maison d'arrêt de Ngaragba"),
                    step(K.COMMITTED_FOR_TRIAL, 700, RENVOI, "Arrêt de renvoi n° {n}/{y} de la chambre d'accusation"),
                    step(K.TRIAL_OPENED, 400, "ouverture de la session criminelle", "Rôle de la session criminelle de la Cour d'appel de Bangui, {y}"),
                    step(K.CONVICTED, 385, "arrêt de condamnation", "Arrêt n° {n}/{y} de la Cour d'appel de Bangui, session criminelle"),
                    step(K.SENTENCED, 385, "peine prononcée", "Arrêt n° {n}/{y} de la Cour d'appel de Bangui, session criminelle", "Travaux forcés à perpétuité"),
                    step(K.FINAL, 290, "arrêt définitif (pourvoi en cassation rejeté)", "Arrêt n° {n}/{y} de la Cour de cassation"),
                ]),
                dict(name="Aimé Kossingou", alias="", group="AB", nationality="CAF", steps=[
                    step(K.IDENTIFIED, 1180, "", IDENT_FR),
                    step(K.WARRANT_ISSUED, 1170, WARRANT, "Mandat d'arrêt du juge d'instruction, cabinet n° 2, TGI de Bangassou"),
                    step(K.ARRESTED, 1000, ARREST_FR, "Procès-verbal d'interpellation n° {n}/GEND-BGS/{y}"),
                    step(K.CHARGED, 998, CHARGE_FR, "Procès-verbal de première comparution"),
                    step(K.DETAINED, 998, REMAND_FR, "Mandat de dépôt, maison d'arrêt de Ngaragba"),
                    step(K.COMMITTED_FOR_TRIAL, 700, RENVOI, "Arrêt de renvoi n° {n}/{y} de la chambre d'accusation"),
                    step(K.TRIAL_OPENED, 400, "ouverture de la session criminelle", "Rôle de la session criminelle de la Cour d'appel de Bangui, {y}"),
                    step(K.CONVICTED, 385, "arrêt de condamnation", "Arrêt n° {n}/{y} de la Cour d'appel de Bangui, session criminelle"),
                    step(K.SENTENCED, 385, "peine prononcée", "Arrêt n° {n}/{y} de la Cour d'appel de Bangui, session criminelle", "Vingt ans de travaux forcés"),
                    step(K.FINAL, 290, "arrêt définitif (pourvoi en cassation rejeté)", "Arrêt n° {n}/{y} de la Cour de cassation"),
                ]),
            ],
            follow_ups=[
                (1200, Channel.NOTE_VERBALE, "Note verbale MINUSCA/LEG/{y}/{n}: request for information on the judicial investigation.", 1170,
                 (1165, "Le Procureur confirme l'ouverture d'une information judiciaire et la désignation d'un juge d'instruction.")),
                (420, Channel.LETTER, "Letter of the Head of Mission to the Minister of Justice on support to the criminal session.", None, None),
            ],
        ),
    ),
    dict(
        key="B", mission="MINUSCA", ago=910, attack=A.DIRECT_FIRE, by=["UPC"],
        place="Checkpoint on the Bambari–Ippy road", area="Ouaka", lat=5.80, lon=20.75,
        narrative="Armed men opened fire on a MINUSCA checkpoint at dawn; one peacekeeper was "
        "killed and one police officer wounded.",
        sources="Flash report MINUSCA/JOC/{y}/{n}; Rapport de l'UNPOL, secteur Centre",
        casualties=[hit("pak1", Outcome.KILLED), hit("egy1", Outcome.INJURED)],
        case=CaseSpec(
            opened=905,
            investigations=[dict(
                authority=Authority.POLICE, ago=900,
                name="Section de recherches et d'investigations (SRI), Gendarmerie nationale",
                source="Procès-verbal d'ouverture d'enquête n° {n}/SRI/{y}",
                updates=[(IS.SUSPECTS_IDENTIFIED, 820, "Rapport d'enquête de la SRI n° {n}/{y}"),
                         (IS.REFERRED_FOR_TRIAL, 500, "Ordonnance de renvoi du juge d'instruction, TGI de Bambari")],
            )],
            suspects=[dict(name="Oumar Adoum Zakaria", alias="Général Zaka", group="UPC",
                           nationality="CAF", steps=[
                step(K.IDENTIFIED, 820, "", IDENT_FR),
                step(K.WARRANT_ISSUED, 800, WARRANT, "Mandat d'arrêt du juge d'instruction, TGI de Bambari"),
                step(K.ARRESTED, 760, ARREST_FR, "Procès-verbal d'interpellation n° {n}/SRI/{y}"),
                step(K.CHARGED, 758, CHARGE_FR, "Procès-verbal de première comparution"),
                step(K.DETAINED, 758, REMAND_FR, "Mandat de dépôt, maison d'arrêt de Ngaragba"),
                step(K.COMMITTED_FOR_TRIAL, 500, RENVOI, "Arrêt de renvoi n° {n}/{y} de la chambre d'accusation"),
                step(K.TRIAL_OPENED, 150, "ouverture de la session criminelle", "Rôle de la session criminelle de la Cour d'appel de Bangui, {y}"),
                step(K.ACQUITTED, 120, "acquittement au bénéfice du doute", "Arrêt n° {n}/{y} de la Cour d'appel de Bangui, session criminelle"),
                step(K.RELEASED, 119, "mise en liberté", "Billet de sortie, maison d'arrêt de Ngaragba"),
            ])],
            follow_ups=[(115, Channel.NOTE_VERBALE, "Note verbale MINUSCA/LEG/{y}/{n}: will the prosecution appeal the acquittal?", 85,
                         (80, "Le Parquet général indique qu'il ne formera pas de pourvoi en cassation."))],
        ),
    ),
    dict(
        key="C", mission="MINUSCA", ago=705, attack=A.COMPLEX, by=["3R"],
        place="Temporary operating base, Koui", area="Ouham-Pendé", lat=6.59, lon=15.98,
        narrative="A temporary operating base came under coordinated attack with small arms and "
        "rocket-propelled grenades; one peacekeeper was killed and one wounded.",
        sources="Flash report MINUSCA/JOC/{y}/{n}; Board of inquiry MINUSCA/BOI/{y}/{n}",
        casualties=[hit("bgd1", Outcome.KILLED), hit("mrt1", Outcome.INJURED)],
        case=CaseSpec(
            opened=700,
            investigations=[dict(
                authority=Authority.PROSECUTOR, ago=690,
                name="Cour pénale spéciale, cabinet d'instruction n° 1",
                source="Réquisitoire du Procureur spécial n° {n}/CPS/{y}",
                updates=[(IS.SUSPECTS_IDENTIFIED, 600, "Rapport de l'Unité spéciale de police judiciaire n° {n}/{y}"),
                         (IS.REFERRED_FOR_TRIAL, 200, "Ordonnance de renvoi devant la Chambre d'assises de la CPS")],
            )],
            suspects=[
                dict(name="Jean-Pierre Zoumandé-Gbiama", alias="Le Commandant", group="3R",
                     nationality="CAF", steps=[
                    step(K.IDENTIFIED, 600, "", IDENT_FR),
                    step(K.WARRANT_ISSUED, 590, WARRANT, "Mandat d'arrêt de la Cour pénale spéciale n° {n}/{y}"),
                    step(K.ARRESTED, 540, ARREST_FR, "Procès-verbal d'interpellation, USPJ, n° {n}/{y}"),
                    step(K.CHARGED, 538, CHARGE_FR, "Procès-verbal de première comparution, CPS"),
                    step(K.DETAINED, 538, REMAND_FR, "Mandat de dépôt de la Cour pénale spéciale"),
                    step(K.COMMITTED_FOR_TRIAL, 200, RENVOI, "Ordonnance de renvoi devant la Chambre d'assises de la CPS"),
                    step(K.TRIAL_OPENED, 30, "ouverture du procès", "Procès-verbal d'audience de la Chambre d'assises de la CPS"),
                ]),
                dict(name="Adamou Siddiki-Waya", alias="Abba", group="3R", nationality="CAF", steps=[
                    step(K.IDENTIFIED, 600, "", IDENT_FR),
                    step(K.WARRANT_ISSUED, 590, WARRANT, "Mandat d'arrêt de la Cour pénale spéciale n° {n}/{y}"),
                    step(K.AT_LARGE, 560, "en fuite", "Rapport de l'UNPOL, secteur Ouest, n° {n}/{y}"),
                ]),
            ],
            follow_ups=[(60, Channel.NOTE_VERBALE, "Note verbale MINUSCA/LEG/{y}/{n}: date of the trial.", 30,
                         (25, "La Cour pénale spéciale confirme l'ouverture du procès."))],
        ),
    ),
    dict(
        key="D", mission="MINUSCA", ago=410, attack=A.IED, by=["3R", "CPC"],
        place="Bocaranga–Koui road, near Ndim", area="Ouham-Pendé", lat=7.00, lon=15.75,
        narrative="A patrol vehicle struck an improvised explosive device; one peacekeeper was "
        "killed and two were injured.",
        sources="Flash report MINUSCA/JOC/{y}/{n}; UNMAS explosive ordnance report {y}/{n}",
        casualties=[hit(f"{MIL}:BGD", Outcome.KILLED), hit(f"{MIL}:RWA", Outcome.INJURED),
                    hit(f"{MIL}:RWA", Outcome.INJURED)],
        case=CaseSpec(
            opened=405,
            investigations=[dict(
                authority=Authority.POLICE, ago=400,
                name="Brigade de gendarmerie de Bocaranga",
                source="Procès-verbal de constat n° {n}/BGB/{y}",
                updates=[(IS.SUSPECTS_IDENTIFIED, 300, "Rapport d'enquête n° {n}/{y}")],
            )],
            suspects=[dict(name="Hamidou Garba-Sali", alias="Petit Sali", group="3R",
                           nationality="CAF", steps=[
                step(K.IDENTIFIED, 300, "", IDENT_FR),
                step(K.WARRANT_ISSUED, 280, WARRANT, "Mandat d'arrêt du juge d'instruction, TGI de Bozoum"),
                step(K.AT_LARGE, 270, "en fuite", "Rapport de l'UNPOL, secteur Ouest, n° {n}/{y}"),
            ])],
            follow_ups=[(90, Channel.NOTE_VERBALE, "Note verbale MINUSCA/LEG/{y}/{n}: execution of the mandat d'arrêt.", 60, None)],
        ),
    ),
    dict(
        key="E", mission="MINUSCA", ago=1005, attack=A.MOB_VIOLENCE, by=[],
        place="PK5, 3e arrondissement, Bangui", area="Bangui", lat=4.37, lon=18.55,
        narrative="A crowd threw stones at and set fire to a MINUSCA vehicle; one police officer "
        "was killed and two were injured.",
        sources="Rapport de l'UNPOL n° {n}/{y}; Procès-verbal de constat du commissariat du 3e arrondissement",
        casualties=[hit(f"{FPU}:SEN", Outcome.KILLED, date_of_death_after=3),
                    hit(f"{FPU}:SEN", Outcome.INJURED), hit(f"{PersonnelCategory.INDIVIDUAL_POLICE}:BEN", Outcome.INJURED)],
        case=CaseSpec(
            opened=1000,
            investigations=[dict(
                authority=Authority.PROSECUTOR, ago=990,
                name="Procureur de la République près le Tribunal de grande instance de Bangui",
                source="Soit-transmis du Procureur n° {n}/PR-BGI/{y}",
                updates=[(IS.SUSPECTS_IDENTIFIED, 900, "Procès-verbal d'enquête n° {n}/{y}"),
                         (IS.CLOSED_WITHOUT_CHARGE, 520, "Décision de classement sans suite n° {n}/PR-BGI/{y}")],
            )],
            suspects=[dict(name="Saïd Konaté-Mbrengou", alias="", group=None, nationality="CAF", steps=[
                step(K.IDENTIFIED, 900, "", IDENT_FR),
                step(K.ARRESTED, 895, "garde à vue", "Procès-verbal de garde à vue n° {n}/{y}"),
                step(K.RELEASED, 893, "remise en liberté (charges insuffisantes)", "Procès-verbal de fin de garde à vue"),
            ])],
        ),
    ),
    dict(
        key="F", mission="MINUSCA", ago=20, attack=A.OTHER, by=[],
        place="Marché central, Bambari", area="Ouaka", lat=5.76, lon=20.67,
        narrative="A national staff member was stabbed by an unknown man at the market.",
        sources="Security incident report MINUSCA/UNDSS/{y}/{n}",
        casualties=[hit("caf1", Outcome.INJURED)],
        case=CaseSpec(
            opened=None,
            follow_ups=[(10, Channel.NOTE_VERBALE, "Note verbale MINUSCA/LEG/{y}/{n}: request that an investigation be opened.", -20, None)],
        ),
    ),
    dict(key="G", mission="MINUSCA", ago=230, type=IncidentType.ACCIDENT,
         place="RN1 near Bossembélé", area="Ombella-M'Poko", lat=5.27, lon=17.65,
         narrative="A troop carrier overturned on the road; one peacekeeper died.",
         sources="Board of inquiry MINUSCA/BOI/{y}/{n}",
         casualties=[hit(f"{MIL}:MRT", Outcome.KILLED)]),
    dict(key="H", mission="MINUSCA", ago=3, attack=A.DIRECT_FIRE, by=["CPC"], status="draft",
         place="Ndélé", area="Bamingui-Bangoran", lat=8.41, lon=20.65,
         narrative="A patrol came under fire north of Ndélé; one peacekeeper was injured. "
         "Details being confirmed.",
         sources="Initial report of Sector East, {y}",
         casualties=[hit(f"{MIL}:ZMB", Outcome.INJURED)]),
    # MONUSCO — Democratic Republic of the Congo ---------------------------------------
    dict(
        key="I", mission="MONUSCO", ago=805, attack=A.AMBUSH, by=["ADF"],
        place="Mbau–Kamango road, Beni territory", area="Nord-Kivu", lat=0.60, lon=29.55,
        narrative="A Force Intervention Brigade patrol was ambushed; one peacekeeper was killed "
        "and two were wounded.",
        sources="Flash report MONUSCO/JOC/{y}/{n}; Procès-verbal de constat de l'Auditorat militaire",
        casualties=[hit("tza1", Outcome.KILLED), hit(f"{MIL}:TZA", Outcome.INJURED),
                    hit(f"{MIL}:TZA", Outcome.INJURED)],
        case=CaseSpec(
            opened=800,
            investigations=[dict(
                authority=Authority.MILITARY_JUSTICE, ago=795,
                name="Auditorat militaire de garnison de Beni",
                source="Réquisition d'information de l'Auditeur militaire n° {n}/{y}",
                updates=[(IS.SUSPECTS_IDENTIFIED, 700, "Procès-verbal d'audition n° {n}/AMG-BENI/{y}")],
            )],
            suspects=[
                dict(name="Musa Kasereka-Baluku", alias="Mzee", group="ADF", nationality="COD", steps=[
                    step(K.IDENTIFIED, 700, "", "Procès-verbal d'audition n° {n}/AMG-BENI/{y}"),
                    step(K.WARRANT_ISSUED, 680, "mandat d'arrêt provisoire", "Mandat d'arrêt provisoire n° {n}/AMG-BENI/{y}"),
                    step(K.ARRESTED, 650, "arrestation", "Procès-verbal d'arrestation des FARDC, Beni"),
                    step(K.DETAINED, 648, "détention préventive", "Billet d'écrou, prison centrale de Kangbayi"),
                ]),
                dict(name="Hassan Muhindo-Kambale", alias="", group="ADF", nationality="COD", steps=[
                    step(K.IDENTIFIED, 700, "", "Procès-verbal d'audition n° {n}/AMG-BENI/{y}"),
                    step(K.AT_LARGE, 690, "en fuite", "Rapport de la cellule d'appui aux poursuites de la MONUSCO"),
                ]),
            ],
            follow_ups=[
                (400, Channel.NOTE_VERBALE, "Note verbale MONUSCO/LEG/{y}/{n}: when will the detained suspect be tried?", 370,
                 (300, "L'Auditorat indique que le dossier attend une audience foraine.")),
                (120, Channel.NOTE_VERBALE, "Note verbale MONUSCO/LEG/{y}/{n}: reminder on the prolonged pre-trial detention.", 90, None),
            ],
        ),
    ),
    dict(
        key="J", mission="MONUSCO", ago=505, attack=A.INDIRECT_FIRE, by=["M23"],
        place="MONUSCO base, Sake", area="Nord-Kivu", lat=-1.57, lon=29.04,
        narrative="Mortar rounds fell on the base; one peacekeeper died of his wounds and "
        "another was injured.",
        sources="Flash report MONUSCO/JOC/{y}/{n}; Crater analysis report {y}/{n}",
        casualties=[hit("zaf1", Outcome.KILLED, date_of_death_after=5), hit("npl1", Outcome.INJURED)],
        case=CaseSpec(
            opened=500,
            investigations=[dict(
                authority=Authority.MILITARY_JUSTICE, ago=480,
                name="Auditorat militaire supérieur près la Cour militaire du Nord-Kivu",
                source="Réquisition d'information n° {n}/AMS-NK/{y}",
                updates=[(IS.SUSPECTS_IDENTIFIED, 300, "Procès-verbal d'enquête n° {n}/AMS-NK/{y}")],
            )],
            suspects=[dict(name="Bienvenu Habimana-Rukundo", alias="", group="M23", nationality="COD", steps=[
                step(K.IDENTIFIED, 300, "", "Procès-verbal d'enquête n° {n}/AMS-NK/{y}"),
                step(K.WARRANT_ISSUED, 250, WARRANT, "Mandat d'arrêt n° {n}/AMS-NK/{y}"),
                step(K.ARRESTED, 150, "arrestation", "Procès-verbal d'arrestation, Goma"),
                step(K.DETAINED, 149, "détention préventive", "Billet d'écrou, prison centrale de Munzenze"),
                step(K.CHARGED, 140, CHARGE_FR, "Procès-verbal d'inculpation, Auditorat militaire supérieur"),
            ])],
        ),
    ),
    dict(
        key="K", mission="MONUSCO", ago=610, attack=A.ROBBERY, by=[],
        place="Majengo quarter, Goma", area="Nord-Kivu", lat=-1.66, lon=29.22,
        narrative="Armed men stopped a MONUSCO vehicle, beat the driver and stole the vehicle.",
        sources="Security incident report MONUSCO/UNDSS/{y}/{n}",
        casualties=[hit("cod1", Outcome.INJURED)],
        case=CaseSpec(
            opened=600,
            follow_ups=[
                (500, Channel.NOTE_VERBALE, "Note verbale MONUSCO/LEG/{y}/{n}: request that an investigation be opened.", 470,
                 (460, "Le Ministère de la Justice accuse réception, sans information sur une enquête.")),
                (100, Channel.LETTER, "Letter of the Head of Office, Goma, to the Procureur général: reminder.", 70, None),
            ],
        ),
    ),
    dict(
        key="L", mission="MONUSCO", ago=205, attack=A.SEXUAL_VIOLENCE, by=[],
        place="Bunia", area="Ituri", lat=1.56, lon=30.25,
        narrative="A civilian staff member was assaulted by two unidentified men. Details are "
        "restricted to the case file.",
        sources="Security incident report MONUSCO/UNDSS/{y}/{n} (restricted)",
        casualties=[hit(f"{PersonnelCategory.INTERNATIONAL_CIVILIAN}:KEN", Outcome.INJURED,
                        notes="Name withheld.")],
        case=CaseSpec(
            opened=200,
            investigations=[dict(
                authority=Authority.POLICE, ago=150,
                name="Police nationale congolaise, police spéciale de protection de la femme, Bunia",
                source="Procès-verbal de plainte n° {n}/PNC-BUNIA/{y}", updates=[],
            )],
        ),
    ),
    dict(key="M", mission="MONUSCO", ago=340, type=IncidentType.ACCIDENT,
         place="Semliki river crossing", area="Nord-Kivu", lat=0.78, lon=29.62,
         narrative="A peacekeeper drowned when a boat capsized during a river crossing.",
         sources="Board of inquiry MONUSCO/BOI/{y}/{n}",
         casualties=[hit("ind1", Outcome.KILLED)]),
    # MINUSMA — Mali (mandate ended 31 December 2023) -----------------------------------
    dict(
        key="N", mission="MINUSMA", ago=1620, attack=A.SUICIDE, by=["JNIM"],
        place="MINUSMA camp, Aguelhok", area="Kidal", lat=19.46, lon=0.86,
        narrative="A vehicle-borne suicide bomber detonated at the camp entrance; two "
        "peacekeepers were killed and two injured.",
        sources="Flash report MINUSMA/JOC/{y}/{n}; Claim of responsibility reported by MINUSMA JMAC",
        casualties=[hit("tcd1", Outcome.KILLED), hit("tcd2", Outcome.KILLED),
                    hit(f"{MIL}:TCD", Outcome.INJURED), hit(f"{MIL}:TCD", Outcome.INJURED)],
        case=CaseSpec(
            opened=1615,
            follow_ups=[
                (1600, Channel.NOTE_VERBALE, "Note verbale MINUSMA/LEG/{y}/{n}: request that an investigation be opened.", 1570,
                 (1500, "Le Ministère des Affaires étrangères a transmis la demande au Ministère de la Justice.")),
                (800, Channel.DEMARCHE, "Démarche of the Department of Peace Operations with the Permanent Mission of Mali.", 770, None),
            ],
        ),
    ),
    dict(
        key="O", mission="MINUSMA", ago=1480, attack=A.IED, by=["JNIM"],
        place="Kidal–Anéfis road", area="Kidal", lat=18.20, lon=1.10,
        narrative="A convoy escort vehicle struck an improvised explosive device; one "
        "peacekeeper was killed and one injured.",
        sources="Flash report MINUSMA/JOC/{y}/{n}; UNMAS explosive ordnance report {y}/{n}",
        casualties=[hit("gin1", Outcome.KILLED), hit(f"{MIL}:GIN", Outcome.INJURED)],
        case=CaseSpec(
            opened=1475,
            investigations=[dict(
                authority=Authority.PROSECUTOR, ago=1450,
                name="Pôle judiciaire spécialisé de lutte contre le terrorisme, Bamako",
                source="Réquisitoire introductif n° {n}/PJS/{y}",
                updates=[(IS.SUSPECTS_IDENTIFIED, 1300, "Rapport de la Brigade d'investigations spécialisée n° {n}/{y}")],
            )],
            suspects=[
                dict(name="Attaher ag Moussalim", alias="Abou Hafs al-Tarqi", group="JNIM", nationality="MLI", steps=[
                    step(K.IDENTIFIED, 1300, "", "Rapport de la Brigade d'investigations spécialisée n° {n}/{y}"),
                    step(K.WARRANT_ISSUED, 1290, "mandat d'arrêt international", "Mandat d'arrêt international du juge d'instruction du PJS n° {n}/{y}"),
                    step(K.AT_LARGE, 1280, "en fuite", "Rapport de la Police des Nations Unies, Kidal"),
                ]),
                dict(name="Hamma ould Sidaty", alias="", group="JNIM", nationality="MLI", steps=[
                    step(K.IDENTIFIED, 1300, "", "Rapport de la Brigade d'investigations spécialisée n° {n}/{y}"),
                    step(K.WARRANT_ISSUED, 1290, "mandat d'arrêt international", "Mandat d'arrêt international du juge d'instruction du PJS n° {n}/{y}"),
                ]),
            ],
        ),
    ),
    dict(
        key="P", mission="MINUSMA", ago=1350, attack=A.INDIRECT_FIRE, by=["ISGS"],
        place="MINUSMA camp, Gao", area="Gao", lat=16.27, lon=-0.04,
        narrative="Rockets struck the camp; two peacekeepers were injured.",
        sources="Flash report MINUSMA/JOC/{y}/{n}",
        casualties=[hit("deu1", Outcome.INJURED), hit("egy2", Outcome.INJURED)],
        case=CaseSpec(
            opened=1345,
            investigations=[dict(
                authority=Authority.PROSECUTOR, ago=1340,
                name="Pôle judiciaire spécialisé de lutte contre le terrorisme, Bamako",
                source="Réquisitoire introductif n° {n}/PJS/{y}",
                updates=[(IS.SUSPECTS_IDENTIFIED, 1200, "Procès-verbal d'enquête de la gendarmerie de Gao n° {n}/{y}"),
                         (IS.REFERRED_FOR_TRIAL, 700, "Arrêt de renvoi de la chambre d'accusation de la Cour d'appel de Bamako")],
            )],
            suspects=[dict(name="Boubacar Maïga-Tessit", alias="", group="ISGS", nationality="MLI", steps=[
                step(K.IDENTIFIED, 1200, "", "Procès-verbal d'enquête de la gendarmerie de Gao n° {n}/{y}"),
                step(K.ARRESTED, 1150, ARREST_FR, "Procès-verbal d'interpellation, gendarmerie de Gao"),
                step(K.CHARGED, 1145, CHARGE_FR, "Procès-verbal de première comparution, juge d'instruction du PJS"),
                step(K.DETAINED, 1145, REMAND_FR, "Mandat de dépôt, maison centrale d'arrêt de Bamako"),
                step(K.COMMITTED_FOR_TRIAL, 700, "renvoi devant la cour d'assises spéciale", "Arrêt de renvoi n° {n}/{y} de la chambre d'accusation"),
            ])],
            follow_ups=[(365, Channel.NOTE_VERBALE, "Note verbale DPO/{y}/{n} to the Permanent Mission of Mali: date of the trial.", 335,
                         (330, "La Cour d'assises spéciale n'a pas encore inscrit l'affaire au rôle."))],
        ),
    ),
    dict(key="Q", mission="MINUSMA", ago=1250, type=IncidentType.ACCIDENT,
         place="Douentza–Boni road", area="Mopti", lat=15.00, lon=-2.50,
         narrative="A convoy vehicle overturned; one peacekeeper died.",
         sources="Board of inquiry MINUSMA/BOI/{y}/{n}",
         casualties=[hit("tgo1", Outcome.KILLED)]),
    # UNMISS — South Sudan (common law) ---------------------------------------------------
    dict(
        key="R", mission="UNMISS", ago=1210, attack=A.DIRECT_FIRE, by=["SPLA-IO"],
        place="Yei–Morobo road", area="Central Equatoria", lat=4.09, lon=30.68,
        narrative="A long-range patrol came under fire; one peacekeeper was killed and one injured.",
        sources="Flash report UNMISS/JOC/{y}/{n}; SSNPS occurrence book entry, Yei",
        casualties=[hit("rwa2", Outcome.KILLED), hit("chn1", Outcome.INJURED)],
        case=CaseSpec(
            opened=1205,
            investigations=[dict(
                authority=Authority.POLICE, ago=1200,
                name="South Sudan National Police Service, Criminal Investigation Department, Juba",
                source="CID case file No. {n}/{y}",
                updates=[(IS.SUSPECTS_IDENTIFIED, 1100, "CID investigation report No. {n}/{y}"),
                         (IS.REFERRED_FOR_TRIAL, 900, "Committal order of the First Class Magistrate, Juba")],
            )],
            suspects=[dict(name="Gatwech Lual Kuany", alias="Commander Black", group="SPLA-IO",
                           nationality="SSD", steps=[
                step(K.IDENTIFIED, 1100, "", "Statement of witness, CID case file No. {n}/{y}"),
                step(K.WARRANT_ISSUED, 1090, "warrant of arrest", "Warrant of arrest issued by the First Class Magistrate, Yei"),
                step(K.ARRESTED, 1000, "arrest", "Arrest report, SSNPS Yei"),
                step(K.DETAINED, 998, "remand in custody", "Remand warrant, Juba Central Prison"),
                step(K.CHARGED, 995, "charge of murder (Penal Code Act 2008)", "Charge sheet, CID case file No. {n}/{y}"),
                step(K.COMMITTED_FOR_TRIAL, 900, "committal for trial to the High Court", "Committal order of the First Class Magistrate, Juba"),
                step(K.TRIAL_OPENED, 600, "trial before the High Court", "Cause list of the High Court, Juba, {y}"),
                step(K.CONVICTED, 400, "conviction", "Judgment of the High Court, Juba, Criminal Case No. {n}/{y}"),
                step(K.SENTENCED, 400, "sentence", "Judgment of the High Court, Juba, Criminal Case No. {n}/{y}", "Fourteen years' imprisonment"),
                step(K.APPEAL, 385, "notice of appeal to the Court of Appeal", "Notice of appeal lodged by the defence, {y}"),
            ])],
        ),
    ),
    dict(
        key="S", mission="UNMISS", ago=300, attack=A.MOB_VIOLENCE, by=[],
        place="Bor town, near the UNMISS base", area="Jonglei", lat=6.21, lon=31.56,
        narrative="A crowd attacked an UNMISS patrol with stones and sticks; a peacekeeper and a "
        "national staff member were injured.",
        sources="Flash report UNMISS/JOC/{y}/{n}; SSNPS occurrence book entry, Bor",
        casualties=[hit("ind2", Outcome.INJURED), hit("ssd1", Outcome.INJURED)],
        case=CaseSpec(
            opened=298,
            investigations=[dict(
                authority=Authority.POLICE, ago=296,
                name="South Sudan National Police Service, Bor police station",
                source="Police case file No. {n}/BOR/{y}",
                updates=[(IS.SUSPECTS_IDENTIFIED, 290, "Police case file No. {n}/BOR/{y}")],
            )],
            suspects=[
                dict(name="Deng Manyang Alier", alias="", group=None, nationality="SSD", steps=[
                    step(K.IDENTIFIED, 290, "", "Statement of witness, police case file No. {n}/BOR/{y}"),
                    step(K.ARRESTED, 285, "arrest without warrant", "Arrest report, SSNPS Bor"),
                    step(K.DETAINED, 284, "remand in custody", "Remand warrant, Bor prison"),
                ]),
                dict(name="Mabior Kuol Ater", alias="", group=None, nationality="SSD", steps=[
                    step(K.IDENTIFIED, 290, "", "Statement of witness, police case file No. {n}/BOR/{y}"),
                    step(K.ARRESTED, 285, "arrest without warrant", "Arrest report, SSNPS Bor"),
                    step(K.DETAINED, 284, "remand in custody", "Remand warrant, Bor prison"),
                ]),
            ],
            follow_ups=[(120, Channel.NOTE_VERBALE, "Note verbale UNMISS/LEG/{y}/{n}: status of the two detainees.", 90,
                         (80, "Ministry of Justice: the case file awaits the public prosecutor's review."))],
        ),
    ),
    dict(
        key="T", mission="UNMISS", ago=42, attack=A.INDIRECT_FIRE, by=[],
        place="UNMISS base, Malakal", area="Upper Nile", lat=9.53, lon=31.66,
        narrative="Shells landed inside the base during fighting nearby; one peacekeeper was injured.",
        sources="Flash report UNMISS/JOC/{y}/{n}",
        casualties=[hit("gha1", Outcome.INJURED)],
        case=CaseSpec(
            opened=40,
            investigations=[
                dict(authority=Authority.POLICE, ago=30,
                     name="South Sudan National Police Service, Malakal",
                     source="Police case file No. {n}/MAL/{y}", updates=[]),
                dict(authority=Authority.UN_BOARD_OF_INQUIRY, ago=35, name="UNMISS board of inquiry",
                     source="Convening order UNMISS/BOI/{y}/{n}", updates=[]),
            ],
        ),
    ),
    dict(
        key="U", mission="UNMISS", ago=150, attack=A.ABDUCTION, by=[],
        place="Leer county", area="Unity", lat=8.30, lon=30.14,
        narrative="Unidentified armed men abducted a contractor and injured a national staff "
        "member during a road mission.",
        sources="Security incident report UNMISS/UNDSS/{y}/{n}",
        casualties=[hit(f"{PersonnelCategory.CONTRACTOR}:SSD", Outcome.ABDUCTED),
                    hit(f"{NAT}:SSD", Outcome.INJURED)],
        case=CaseSpec(
            opened=148,
            follow_ups=[
                (140, Channel.NOTE_VERBALE, "Note verbale UNMISS/LEG/{y}/{n}: request that an investigation be opened.", 110,
                 (100, "Ministry of Foreign Affairs: request forwarded to the Ministry of Interior.")),
                (60, Channel.LETTER, "Letter of the Head of Field Office, Bentiu, to the State Governor.", 30, None),
            ],
        ),
    ),
    dict(key="V", mission="UNMISS", ago=90, type=IncidentType.ACCIDENT,
         place="Rubkona–Bentiu road", area="Unity", lat=9.28, lon=29.78,
         narrative="A vehicle left the flooded road; one peacekeeper was injured.",
         sources="Board of inquiry UNMISS/BOI/{y}/{n}",
         casualties=[hit("mng1", Outcome.INJURED)]),
]

# (host State, mission, ago, institution, kind, description, keys of the cases supported)
CAPACITY_SUPPORT = [
    ("CAF", "MINUSCA", 410, Institution.JUDICIARY, SupportKind.LOGISTICS,
     "Transport and lodging of witnesses for the criminal session of the Cour d'appel de Bangui (mission report MINUSCA/JSS/{y}/{n}).", ["A"]),
    ("CAF", "MINUSCA", 155, Institution.JUDICIARY, SupportKind.SECURITY,
     "Security of the courtroom during the criminal session (MINUSCA Force order {y}/{n}).", ["B"]),
    ("CAF", "MINUSCA", 40, Institution.PROSECUTION, SupportKind.TECHNICAL_ADVICE,
     "Advice to the Special Prosecutor of the Cour pénale spéciale on the presentation of evidence (memo MINUSCA/JSS/{y}/{n}).", ["C"]),
    ("COD", "MONUSCO", 600, Institution.MILITARY_JUSTICE, SupportKind.LOGISTICS,
     "Air transport of military magistrates for a mobile court hearing in Beni (Prosecution Support Cell report {y}/{n}).", ["I"]),
    ("COD", "MONUSCO", 90, Institution.PENITENTIARY, SupportKind.INFRASTRUCTURE,
     "Rehabilitation of a cell block of the Kangbayi central prison, Beni (project MONUSCO/QIP/{y}/{n}).", []),
    ("MLI", "MINUSMA", 1270, Institution.PROSECUTION, SupportKind.TRAINING,
     "Training of investigators of the Pôle judiciaire spécialisé in crime-scene forensics (MINUSMA/JCS/{y}/{n}).", ["O", "P"]),
    ("SSD", "UNMISS", 950, Institution.JUDICIARY, SupportKind.OTHER,
     "Support to a special court session in Yei: judges' travel and court equipment (UNMISS/ROLSIG/{y}/{n}).", ["R"]),
    ("SSD", "UNMISS", 200, Institution.POLICE, SupportKind.TRAINING,
     "Training of SSNPS investigators on the protection of crime scenes (UNMISS/UNPOL/{y}/{n}).", []),
]
# fmt: on
