/* demo: see demo.h. */
#include "demo.h"

#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "accounts.h"
#include "annual_report.h"
#include "escrow.h"
#include "counsellor_log.h"
#include "declarations.h"
#include "documents.h"
#include "rounds.h"
#include "../util/date.h"
#include "../util/wipe.h"
#include "cases.h"
#include "casework.h"
#include "forward.h"
#include "profiles.h"
#include "units.h"
#include "whistle.h"
#include "internal/app.h"
#include "internal/files.h"
#include "internal/userkeys.h"

struct demo_person {
	const char *name;
	const char *email;
	enum vd_role role;
	int unit;      /* index into the unit table */
	int external;
	const char *region, *phone, *languages, *intro;
};

static const struct {
	const char *name, *kind;
	int parent; /* index, -1 for the root */
} demo_units[] = {
	{ "Landelijk", "national", -1 },
	{ "Provincie Utrecht", "province", 0 },
	{ "Provincie Gelderland", "province", 0 },
	{ "Tweede Kamerfractie", "group", 0 },
	{ "Jongerenorganisatie", "youth", 0 },
};

static const struct demo_person people[] = {
	{ "Anouk de Wit", "anouk.dewit@example.org", ROLE_COUNSELLOR, 0, 0, "Landelijk",
	  "030 000 0101", "Nederlands, Engels",
	  "Ik ben sinds een aantal jaren vertrouwenspersoon. Je kunt bij mij terecht met alles wat je "
	  "dwarszit. Ik luister eerst, en samen kijken we wat jij wilt." },
	{ "Bram Jansen", "bram.jansen@example.org", ROLE_COUNSELLOR, 1, 0, "Utrecht",
	  "030 000 0102", "Nederlands",
	  "Ik werk in het dagelijks leven als docent. Als vertrouwenspersoon neem ik de tijd voor je. "
	  "Bellen of mailen mag allebei." },
	{ "Chaima El Idrissi", "chaima.elidrissi@example.org", ROLE_COUNSELLOR, 1, 0, "Utrecht",
	  "030 000 0103", "Nederlands, Arabisch, Engels",
	  "Praten over iets vervelends is moeilijk. Bij mij mag je het in je eigen woorden en in je "
	  "eigen tempo vertellen." },
	{ "Daan Verhoeven", "daan.verhoeven@example.org", ROLE_COUNSELLOR, 2, 0, "Gelderland",
	  "026 000 0104", "Nederlands, Duits",
	  "Ik ben bereikbaar voor leden en vrijwilligers in Gelderland, maar iedereen mag mij kiezen." },
	{ "Esther Bakker", "esther.bakker@example.org", ROLE_COUNSELLOR, 3, 0, "Den Haag",
	  "070 000 0105", "Nederlands, Engels",
	  "Ik ben vertrouwenspersoon voor medewerkers en volksvertegenwoordigers van de fractie." },
	{ "Finn Mulder", "finn.mulder@example.org", ROLE_COUNSELLOR, 4, 0, "Heel Nederland",
	  "020 000 0106", "Nederlands, Engels",
	  "Ik ben er voor jongeren. Je kunt me ook een berichtje sturen als je eerst wilt aftasten." },
	{ "Gerda Hoekstra", "gerda.hoekstra@example.org", ROLE_COUNSELLOR, 0, 1, "Heel Nederland",
	  "085 000 0107", "Nederlands, Fries, Engels",
	  "Ik ben externe vertrouwenspersoon: ik werk niet voor de organisatie en ben onafhankelijk. "
	  "Een eerste gesprek kan anoniem." },
	{ "Hamid Yilmaz", "hamid.yilmaz@example.org", ROLE_COMMITTEE, 0, 0, NULL, NULL, NULL, NULL },
	{ "Ingrid Smit", "ingrid.smit@example.org", ROLE_COMMITTEE, 0, 0, NULL, NULL, NULL, NULL },
	{ "Joris van Leeuwen", "joris.vanleeuwen@example.org", ROLE_COMMITTEE, 0, 0, NULL, NULL, NULL, NULL },
	{ "Karin Vos", "karin.vos@example.org", ROLE_INTEGRITY, 0, 0, NULL, NULL, NULL, NULL },
	{ "Lucas Peeters", "lucas.peeters@example.org", ROLE_READER, 0, 0, NULL, NULL, NULL, NULL },
	{ "Nadia Ouali", "nadia.ouali@example.org", ROLE_CANDIDATE_COMMITTEE, 0, 0, NULL, NULL, NULL, NULL },
	{ "Olaf de Graaf", "olaf.degraaf@example.org", ROLE_CANDIDATE_COMMITTEE, 0, 0, NULL, NULL, NULL, NULL },
	{ "Mira Beheer", "beheer@example.org", ROLE_ADMIN, 0, 0, NULL, NULL, NULL, NULL },
};

/* A handful of invented reports, in different states. */
static const struct {
	int unit;      /* index into demo_units */
	int counsellor; /* index into people, or -1: any counsellor of the unit */
	bool named;
	const char *name, *email, *account, *when, *hopes, *location, *relation, *type;
	int64_t behaviours;
	int opener;    /* index into people of a reader who has opened it, or -1 */
} demo_cases[] = {
	{ 1, 1, false, NULL, NULL,
	  "Bij de laatste afdelingsvergadering maakte een bestuurslid opnieuw grappen over mijn accent. "
	  "Anderen lachten mee. Ik durf nu bijna niets meer te zeggen.",
	  "de afgelopen drie vergaderingen", "Dat het stopt, zonder dat er meteen een klacht van komt.",
	  "meeting", "board_member", "member", 1 << BEH_BULLYING | 1 << BEH_DISCRIMINATION, -1 },
	{ 1, -1, true, "Sanne Bos", "sanne.bos@example.org",
	  "Een collega stuurt mij 's avonds berichten die ik niet wil. Ik heb gezegd dat ik dat niet wil, "
	  "maar het gaat door.", "sinds januari", "Advies over wat ik kan doen.",
	  "online", "colleague", "volunteer", 1 << BEH_SEXUAL_HARASSMENT | 1 << BEH_STALKING, 2 },
	{ 3, 4, false, NULL, NULL,
	  "Tijdens een werkoverleg werd ik door mijn leidinggevende hard toegesproken waar iedereen bij was.",
	  "vorige week dinsdag", "", "office", "manager", "employee", 1 << BEH_INTIMIDATION, 4 },
	{ 4, 5, false, NULL, NULL,
	  "Op het zomerkamp werden een paar nieuwe leden steeds buitengesloten bij de activiteiten.",
	  "juli", "Dat iemand er iets van zegt.", "event", "member", "member", 1 << BEH_EXCLUSION, -1 },
	{ 2, -1, true, "Tom Hendriks", "",
	  "Iemand van buiten de partij dreigde op een campagnedag dat hij mij zou opwachten.",
	  "zaterdag", "Weten of ik aangifte moet doen.", "event", "outsider", "candidate", 1 << BEH_THREATS, -1 },
};

/* An opened case gets some work: a named reporter's is in consultation,
 * with a conversation, a shared appointment and consent to talk to the
 * other person; an anonymous one is in intake. */
static int demo_case_work(struct vd *vd, const struct principal *who, int64_t id, bool named)
{
	field_errors errs;
	char yesterday[DATE_LEN + 1], next_week[DATE_LEN + 1];
	int64_t today = date_of(clock_now());
	date_format(today - 1, yesterday);
	date_format(today + 7, next_week);
	struct progress_input p = { .inventory = "Eerste telefoongesprek gehad. Melder wil vooral dat het stopt.",
				    .agreement_on = named ? yesterday : "" };
	int rc = case_move(vd, who, id, PH_NEW, PH_INTAKE);
	if (rc == VD_OK)
		rc = case_progress_save(vd, who, id, &p, &errs);
	if (rc || !named)
		return rc;
	struct contact_input c = { .on_date = yesterday, .way = "phone", .with_whom = "reporter", .minutes = 45,
				   .notes = "Besproken welke stappen mogelijk zijn. Melder denkt na over een gesprek met de collega." };
	struct appointment_input ap = { .date = next_week, .time = "19:30", .place = "Videogesprek (link volgt per e-mail)",
					.shared = true };
	struct consent_input cs = { .step = "contact_other_party", .given = 1, .on_date = yesterday, .how = "phone" };
	rc = case_contact_add(vd, who, id, &c, &errs);
	if (rc == VD_OK)
		rc = case_appointment_add(vd, who, id, &ap, &errs);
	if (rc == VD_OK)
		rc = case_consent_record(vd, who, id, &cs, &errs);
	if (rc == VD_OK)
		rc = case_move(vd, who, id, PH_INTAKE, PH_CONSULTATION);
	return rc;
}

/* The reporter of one case wants a formal complaint: the counsellor
 * records their consent and forwards it, so the committee has one. */
static int demo_forward(struct vd *vd, const struct principal *who, int64_t id)
{
	field_errors errs;
	char today[DATE_LEN + 1];
	date_format(date_of(clock_now()), today);
	struct consent_input cs = { .step = "forward_committee", .given = 1, .on_date = today, .how = "in_person" };
	struct forward_input fi = { .share_account = true, .share_when = true, .share_hopes = true,
				    .summary = "De melder heeft de collega gevraagd te stoppen. De berichten gaan door. "
					       "Zij wil nu een formele klacht." };
	int64_t complaint = 0;
	int rc = case_consent_record(vd, who, id, &cs, &errs);
	return rc ? rc : case_forward(vd, who, id, &fi, &errs, &complaint);
}

static int demo_reports(struct vd *vd, const int64_t *unit_ids, const char *pw,
			char sample_code[RECEIPT_TEXT_LEN + 1])
{
	int rc = VD_OK;
	for (size_t i = 0; rc == VD_OK && i < sizeof demo_cases / sizeof demo_cases[0]; i++) {
		struct report_input in = {
			.unit_id = unit_ids[demo_cases[i].unit], .named = demo_cases[i].named,
			.name = demo_cases[i].name, .email = demo_cases[i].email,
			.phone = demo_cases[i].named && !*demo_cases[i].email ? "06 0000 0000" : "",
			.account = demo_cases[i].account, .when = demo_cases[i].when, .hopes = demo_cases[i].hopes,
			.location = demo_cases[i].location, .relation = demo_cases[i].relation,
			.reporter_type = demo_cases[i].type, .behaviours = demo_cases[i].behaviours, .channel = "web",
		};
		struct arena a;
		arena_init(&a, 0);
		if (demo_cases[i].counsellor >= 0) {
			struct user_rec u;
			rc = vd->store->ops->user_find_email(vd->store, &a, people[demo_cases[i].counsellor].email, &u);
			in.counsellor_id = u.id;
		}
		int64_t id = 0;
		char code[RECEIPT_TEXT_LEN + 1];
		struct report_errors errs;
		/* One report comes with a file: the messages it is about, typed out. */
		struct upload *file = NULL;
		bool with_file = i == 1;
		if (with_file && rc == VD_OK) {
			static const char text[] = "22:47 Hoi, ben je nog wakker?\n23:15 Waarom reageer je niet?\n"
						   "23:52 Ik zie dat je online bent.\n";
			rc = upload_begin(vd, "berichten.txt", FILE_MAX_BYTES, &file);
			if (rc == VD_OK) {
				upload_write(file, text, sizeof text - 1);
				upload_finish(file);
				in.files = &file;
				in.nfiles = 1;
			}
		}
		if (rc == VD_OK)
			rc = report_submit(vd, &in, &id, code, &errs);
		upload_discard(vd, file);
		if (rc == VD_OK && i == 0)
			memcpy(sample_code, code, sizeof code);
		if (rc == VD_OK && demo_cases[i].opener >= 0) {
			/* read by one of its readers, who opens it with their own key */
			struct user_rec u;
			unsigned char sk[CRYPTO_SK_LEN];
			struct case_view v;
			struct principal who;
			rc = vd->store->ops->user_find_email(vd->store, &a, people[demo_cases[i].opener].email, &u);
			if (rc == VD_OK)
				rc = userkeys_open(vd, u.id, pw, false, sk);
			principal_init(&who, u.id, ROLE_COUNSELLOR, rc == VD_OK ? sk : NULL);
			crypto_wipe(sk, sizeof sk);
			if (rc == VD_OK)
				rc = case_open(vd, &who, &a, id, &v);
			/* and answered; a named reporter answered back */
			if (rc == VD_OK)
				rc = case_post(vd, &who, id, "counsellor",
					       "Dank je wel voor je melding. Zullen we deze week bellen? "
					       "Laat me weten welke dag en tijd je uitkomt.", NULL, 0);
			if (rc == VD_OK && demo_cases[i].named) {
				enum code_result res;
				int64_t retry;
				rc = report_reply(vd, &a, code, NULL, 0, "Donderdagavond na zeven uur kan ik goed.", NULL, 0,
						  &res, &retry);
			}
			if (rc == VD_OK)
				rc = demo_case_work(vd, &who, id, demo_cases[i].named);
			if (rc == VD_OK && i == 1)
				rc = demo_forward(vd, &who, id);
			crypto_wipe(&who, sizeof who);
		}
		crypto_wipe(code, sizeof code);
		arena_release(&a);
	}
	return rc;
}

/* Two invented reports of wrongdoing: one through the form, acknowledged by
 * the integrity officer; one by phone, its minutes waiting for the
 * reporter. code: the first one's, for /mijn-misstand. */
static int demo_whistle(struct vd *vd, const int64_t *unit_ids, const char *pw, char code[RECEIPT_TEXT_LEN + 1])
{
	struct wb_input written = {
		.unit_id = unit_ids[1], .relation = "volunteer", .category = "resources",
		.what = "De kas van de afdeling klopt al maanden niet. Er worden bonnen ingediend voor "
			"bijeenkomsten die niet zijn gehouden.",
		.when_where = "Sinds het voorjaar, bij de afdeling.",
	};
	field_errors errs = 0;
	int64_t id = 0, wait = 0, oral = 0;
	int rc = wb_submit(vd, &written, "demo", 4, &errs, &id, code, &wait);
	struct arena a;
	arena_init(&a, 0);
	struct user_rec u;
	unsigned char sk[CRYPTO_SK_LEN];
	struct principal who;
	if (rc == VD_OK)
		rc = vd->store->ops->user_find_email(vd->store, &a, "karin.vos@example.org", &u);
	if (rc == VD_OK)
		rc = userkeys_open(vd, u.id, pw, false, sk);
	principal_init(&who, u.id, ROLE_INTEGRITY, rc == VD_OK ? sk : NULL);
	crypto_wipe(sk, sizeof sk);
	if (rc == VD_OK)
		rc = wb_acknowledge(vd, &who, id,
				    "Dank voor je melding. Ik heb hem ontvangen en ga ermee aan de slag. Binnen drie "
				    "maanden laat ik je weten wat er met je melding is gedaan.", &errs);
	char day[DATE_LEN + 1];
	date_format(date_of(clock_now()), day);
	struct wb_input phoned = {
		.unit_id = unit_ids[0], .relation = "contractor", .what = "Een opdracht ging zonder offerte naar "
		"een bedrijf van een familielid van een bestuurder.", .name = "Sem de Vries (verzonnen)",
		.channel = "oral", .received_on = day, .meeting_on = day,
		.minutes = "Telefoongesprek met de melder. De melder vertelde dat een opdracht voor drukwerk zonder "
			   "offerte is gegeven aan een bedrijf van een familielid van een bestuurder.",
	};
	char oral_code[RECEIPT_TEXT_LEN + 1];
	if (rc == VD_OK)
		rc = wb_enter(vd, &who, &phoned, &errs, &oral, oral_code);
	crypto_wipe(oral_code, sizeof oral_code);
	crypto_wipe(&who, sizeof who);
	arena_release(&a);
	return rc;
}

/* The demo's candidate, who chose the demo password with her link. */
#define DEMO_CANDIDATE "roos.visser@example.org"

/* A round of the national candidate committee: one candidate submitted
 * her declaration (signing the code of conduct), another was invited and
 * has not chosen a password yet. */
static int demo_round(struct vd *vd, int64_t national_unit, const char *pw)
{
	struct store *s = vd->store;
	struct arena a;
	arena_init(&a, 0);
	struct user_rec nadia, olaf, roos;
	unsigned char sk[CRYPTO_SK_LEN], csk[CRYPTO_SK_LEN];
	struct principal who, cand;
	int rc = s->ops->user_find_email(s, &a, "nadia.ouali@example.org", &nadia);
	if (rc == VD_OK)
		rc = s->ops->user_find_email(s, &a, "olaf.degraaf@example.org", &olaf);
	if (rc == VD_OK)
		rc = userkeys_open(vd, nadia.id, pw, false, sk);
	principal_init(&who, nadia.id, ROLE_CANDIDATE_COMMITTEE, rc == VD_OK ? sk : NULL);
	crypto_wipe(sk, sizeof sk);
	int64_t today = date_of(clock_now()), round = 0, decl = 0, other = 0;
	struct round_input in = {
		.kind = "election", .unit_id = national_unit, .title = "Kandidatenlijst Tweede Kamer (demo)",
		.opens_on = today, .closes_on = today + 42,
		.questions = "Welke nevenfuncties heb je, betaald of onbetaald?\n"
			     "Heb je financiële belangen die kunnen botsen met de functie?\n"
			     "Heb je relaties die kunnen botsen met de functie?\n"
			     "Loopt er een onderzoek, een klacht of een procedure tegen je?\n"
			     "Is er iets anders dat de functie kan schaden als het bekend wordt?",
		.members = { &olaf.id, 1 },
	};
	enum round_field rbad;
	enum declaration_field bad;
	char link[CANDIDATE_TOKEN_HEX + 1], email[256];
	bool mailed;
	if (rc == VD_OK)
		rc = round_open(vd, &who, &in, &round, &rbad);
	if (rc == VD_OK)
		rc = candidate_invite(vd, &who, round, "Roos Visser", DEMO_CANDIDATE, link, &mailed, &decl, &bad);
	if (rc == VD_OK && !mailed)
		rc = candidate_accept(vd, link, pw, email);
	if (rc == VD_OK)
		rc = candidate_invite(vd, &who, round, "Sven Bos", "sven.bos@example.org", link, &mailed, &other, &bad);
	wipe(link, sizeof link);
	if (rc == VD_OK)
		rc = s->ops->user_find_email(s, &a, DEMO_CANDIDATE, &roos);
	if (rc == VD_OK)
		rc = userkeys_open(vd, roos.id, pw, false, csk);
	principal_init(&cand, roos.id, ROLE_CANDIDATE, rc == VD_OK ? csk : NULL);
	crypto_wipe(csk, sizeof csk);
	struct round_detail rd;
	struct document code;
	if (rc == VD_OK)
		rc = round_get(vd, &who, &a, round, &rd);
	if (rc == VD_OK)
		rc = document_current(vd, &a, DOC_CODE_OF_CONDUCT, national_unit, "nl", &code);
	if (rc == VD_OK) {
		static const char *const answers[] = {
			"Penningmeester van een sportvereniging (onbetaald).", "Geen.",
			"Mijn broer werkt bij een adviesbureau dat soms voor de overheid werkt.", "Nee.", "Nee.",
		};
		int64_t ids[5];
		size_t n = rd.nquestions < 5 ? rd.nquestions : 5;
		for (size_t i = 0; i < n; i++)
			ids[i] = rd.questions[i].id;
		int64_t badq;
		rc = declaration_save(vd, &cand, decl, ids, answers, n, true, code.id, &bad, &badq);
	}
	crypto_wipe(&who, sizeof who);
	crypto_wipe(&cand, sizeof cand);
	arena_release(&a);
	return rc;
}

/* A readable random password: four groups of five (about 99 bits). */
static void demo_password(char out[24])
{
	static const char alphabet[] = "abcdefghjkmnpqrstuvwxyz23456789";
	size_t o = 0;
	for (int g = 0; g < 4; g++) {
		if (g)
			out[o++] = '-';
		for (int i = 0; i < 5; i++)
			out[o++] = alphabet[crypto_random_below(sizeof alphabet - 1)];
	}
	out[o] = '\0';
}

/* Last year, so that there is a report to publish: the national
 * counsellors' short questions, advice, training and supervision, and
 * their annual report, written by one, sent for review and published by
 * the other (the report reader reads it). */
static int demo_annual(struct vd *vd, int64_t national_unit)
{
	struct arena a;
	arena_init(&a, 0);
	struct user_rec writer, reviewer;
	int rc = vd->store->ops->user_find_email(vd->store, &a, people[0].email, &writer);
	if (rc == VD_OK)
		rc = vd->store->ops->user_find_email(vd->store, &a, people[6].email, &reviewer);
	struct principal w, rv;
	principal_init(&w, rc == VD_OK ? writer.id : 0, ROLE_COUNSELLOR, NULL);
	principal_init(&rv, rc == VD_OK ? reviewer.id : 0, ROLE_COUNSELLOR, NULL);
	int year = annual_current_year() - 1;
	for (int i = 0; rc == VD_OK && i < 34; i++) {
		/* 10 questions (5 from members, 5 from employees), 11 pieces of
		 * advice, 3 trainings, 8 supervision sessions, over the year */
		static const char *const types[] = { "member", "employee" };
		char day[DATE_LEN + 1];
		date_format(date_year_start(year) + 2 + i * 10, day); /* every ten days from 3 January */
		struct counsellor_log_input in = { .on_date = day, .asked = -1 };
		if (i < 10) {
			in.kind = "question", in.unit_id = national_unit, in.reporter_type = types[i % 2], in.minutes = 20;
		} else if (i < 21) {
			in.kind = "advice", in.unit_id = national_unit, in.asked = i % 2, in.audience = i % 3 ? "manager" : "board";
			in.subject = "Over de omgangsvormen in vergaderingen";
		} else if (i < 24) {
			in.kind = "training", in.minutes = 180, in.subject = "Opfrisdag vertrouwenswerk";
		} else if (i < 32) {
			in.kind = "supervision", in.minutes = 90;
		} else {
			break;
		}
		struct counsellor_log_errors errs;
		int64_t id;
		rc = counsellor_log_add(vd, i % 2 ? &rv : &w, &in, &id, &errs);
	}
	if (rc == VD_OK)
		rc = annual_report_write(vd, &w, national_unit, year,
					 "Dit jaar kwamen de meeste vragen van leden. Vaak ging het om de toon in "
					 "vergaderingen en in groepsapps.\n\nWij raden het bestuur aan om afspraken over "
					 "omgangsvormen aan het begin van elke vergadering kort te herhalen, en om nieuwe "
					 "leden te vertellen dat er vertrouwenspersonen zijn.", true);
	enum annual_block block;
	struct annual_report seen;
	if (rc == VD_OK)
		rc = annual_report_open(vd, &rv, &a, national_unit, year, &seen);
	if (rc == VD_OK)
		rc = annual_report_publish(vd, &rv, national_unit, year, seen.version, &block);
	arena_release(&a);
	return rc;
}

int demo_populate(struct vd *vd, FILE *out)
{
	const struct principal *sys = &principal_system;
	int64_t unit_ids[sizeof demo_units / sizeof demo_units[0]];
	char pw[24], hash[CRYPTO_PWHASH_MAX];
	int rc = VD_OK;
	demo_password(pw);
	rc = crypto_password_hash(&vd->pwcost, pw, strlen(pw), hash);
	if (rc)
		goto out;
	for (size_t i = 0; i < sizeof demo_units / sizeof demo_units[0] && rc == VD_OK; i++)
		rc = unit_add(vd, sys, demo_units[i].name, demo_units[i].kind,
			      demo_units[i].parent < 0 ? 0 : unit_ids[demo_units[i].parent], &unit_ids[i]);
	struct store *s = vd->store;
	for (size_t i = 0; i < sizeof people / sizeof people[0] && rc == VD_OK; i++) {
		const struct demo_person *p = &people[i];
		int64_t unit = unit_ids[p->unit];
		struct account_input in = {
			.name = p->name, .email = p->email, .role = p->role,
			.units = { &unit, 1 }, .active = 1,
		};
		int64_t id;
		char activation[ACTIVATION_PASSWORD_LEN + 1];
		enum account_field bad;
		rc = account_create(vd, sys, &in, &id, activation, &bad);
		crypto_wipe(activation, sizeof activation);
		if (rc == VD_OK)
			rc = s->ops->user_set_password(s, id, hash, 0);
		if (rc == VD_OK) {
			/* Every demo account has its key pair, as after a first login;
			 * the recovery keys are not kept (demo only). */
			struct user_key_rec k;
			char recovery[RECOVERY_TEXT_LEN + 1];
			rc = userkeys_make(vd, id, pw, &k, recovery, NULL);
			if (rc == VD_OK)
				rc = userkeys_store(vd, &k);
			crypto_wipe(&k, sizeof k);
			crypto_wipe(recovery, sizeof recovery);
		}
		if (rc == VD_OK && p->role == ROLE_COUNSELLOR) {
			struct profile prof = {
				.user_id = id, .external = p->external, .region = p->region,
				.phone = p->phone, .public_email = p->email,
				.languages = p->languages, .intro = p->intro,
			};
			enum profile_field pbad;
			rc = profile_save(vd, sys, &prof, &pbad);
		}
	}
	if (rc)
		goto out;
	/* Two of these three can move the cases of a counsellor who can no
	 * longer open them (escrow.h), set up before the cases come in. */
	static const char *const trustees[ESCROW_TRUSTEES] = { "bram.jansen@example.org", "hamid.yilmaz@example.org",
								"karin.vos@example.org" };
	int bad;
	rc = escrow_init(vd, sys, trustees, false, &bad);
	if (rc)
		goto out;
	char sample_code[RECEIPT_TEXT_LEN + 1] = "";
	rc = demo_reports(vd, unit_ids, pw, sample_code);
	char wb_code[RECEIPT_TEXT_LEN + 1] = "";
	if (rc == VD_OK)
		rc = demo_whistle(vd, unit_ids, pw, wb_code);
	if (rc == VD_OK)
		rc = demo_annual(vd, unit_ids[0]);
	if (rc == VD_OK)
		rc = demo_round(vd, unit_ids[0], pw);
	if (rc)
		goto out;

	/* The logins, to the terminal and to a file only the owner can read. */
	size_t plen = strlen(vd->dir) + 32;
	char *path = malloc(plen);
	FILE *f = NULL;
	if (path) {
		snprintf(path, plen, "%s/demo-logins.txt", vd->dir);
		int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
		f = fd >= 0 ? fdopen(fd, "w") : NULL;
		if (!f && fd >= 0)
			close(fd);
	}
	FILE *sinks[2] = { out, f };
	for (int k = 0; k < 2; k++) {
		if (!sinks[k])
			continue;
		fprintf(sinks[k], "Demo logins (invented people; every account uses the same password):\n");
		fprintf(sinks[k], "  password: %s\n", pw);
		for (size_t i = 0; i < sizeof people / sizeof people[0]; i++)
			fprintf(sinks[k], "  %-12s %s (%s)\n", role_name(people[i].role), people[i].email, people[i].name);
		fprintf(sinks[k], "  %-12s %s (%s)\n", role_name(ROLE_CANDIDATE), DEMO_CANDIDATE, "Roos Visser");
		fprintf(sinks[k], "A receipt code of one of the invented reports, for /mijn-melding:\n  %s\n", sample_code);
		fprintf(sinks[k], "A receipt code of an invented report of wrongdoing, for /mijn-misstand:\n  %s\n", wb_code);
	}
	if (f)
		fclose(f);
	free(path);
	crypto_wipe(wb_code, sizeof wb_code);
out:
	crypto_wipe(pw, sizeof pw);
	crypto_wipe(hash, sizeof hash);
	return rc;
}
