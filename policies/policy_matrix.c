/*
 * policy_matrix.c — the three-tier flow matrix of DOMAIN.md §C.2 as data.
 *
 * The αモデル table comes first and applies to every model; the rows after
 * it override single cells for α′, β and β′ (the §C.2 deltas).  Each cell
 * names the use case raised when it is broken and its severity:
 *   GL-SEP-01 (S1) anything forbidden to or from the M tier;
 *   GL-SEP-02 (S1) L / LGWAN paths mixing with the internet side;
 *   GL-SEP-03 (S2) internet access not passing the SC;
 *   GL-NET-02 (S2) unsolicited inbound to an SC address that is no
 *                  declared entry point (mail relay, WAF).
 * GL-SEP-05 (screen-transfer protocols between tiers without a registered
 * server) is decided in policy_eval.c from the port, on top of a broken
 * L<->I cell.  DMZ is the SC's hosted public web and behaves as SC, except
 * that only the I tier and the internet may open sessions to it.
 */
#include "config.h"

#include <pthread.h>
#include <string.h>

#include "policies/policy_int.h"

#define ALL_MODELS 0xf
#define M_ALPHA (1u << POLICY_MODEL_ALPHA)
#define M_ALPHA_P (1u << POLICY_MODEL_ALPHA_PRIME)
#define M_BETA (1u << POLICY_MODEL_BETA)
#define M_BETA_P (1u << POLICY_MODEL_BETA_PRIME)
#define GW(k) (1u << POLICY_GW_##k)

#define SEP1 "GL-SEP-01", 1
#define SEP2 "GL-SEP-02", 1
#define SEP3 "GL-SEP-03", 2
#define NET2 "GL-NET-02", 2
#define NONE NULL, 0

struct mrow {
	unsigned models;
	enum policy_tier from, to;
	enum policy_cell cell;
	unsigned gw;
	const char *use_case;
	int sev;
	const char *note;
};

#define T(x) POLICY_TIER_##x
#define A POLICY_CELL_A
#define D POLICY_CELL_D
#define G POLICY_CELL_G
#define E POLICY_CELL_E

static const struct mrow rows[] = {
	/* from M: isolated; only designated LGWAN endpoints / 特定通信 */
	{ ALL_MODELS, T(M), T(M), A, 0, NONE, "A 同一系内" },
	{ ALL_MODELS, T(M), T(L), D, 0, SEP1,
	    "D マイナンバー利用事務系は他系と通信不可" },
	{ ALL_MODELS, T(M), T(I), D, 0, SEP1,
	    "D マイナンバー利用事務系は他系と通信不可" },
	{ ALL_MODELS, T(M), T(LG), E, GW(LGWAN_EP) | GW(TOKUTEI), SEP1,
	    "E 指定LGWAN接続先・特定通信のみ" },
	{ ALL_MODELS, T(M), T(SC), D, 0, SEP1,
	    "D マイナンバー利用事務系は他系と通信不可" },
	{ ALL_MODELS, T(M), T(DMZ), D, 0, SEP1,
	    "D マイナンバー利用事務系は他系と通信不可" },
	{ ALL_MODELS, T(M), T(NET), D, 0, SEP1, "D インターネット接続禁止" },
	/* from L */
	{ ALL_MODELS, T(L), T(M), D, 0, SEP1,
	    "D マイナンバー利用事務系へ通信不可" },
	{ ALL_MODELS, T(L), T(L), A, 0, NONE, "A 同一系内" },
	{ ALL_MODELS, T(L), T(I), G, GW(SCREEN) | GW(FILEXFER), SEP2,
	    "D 直接通信禁止; G 画面転送クライアント→仮想ブラウザ, "
	    "ファイル受渡し (L→I)" },
	{ ALL_MODELS, T(L), T(LG), A, 0, NONE, "A LGWAN" },
	{ ALL_MODELS, T(L), T(SC), D, 0, SEP2,
	    "D 経路分割: LGWAN接続系からSCへ直接通信不可" },
	{ ALL_MODELS, T(L), T(DMZ), D, 0, SEP2,
	    "D 経路分割: LGWAN接続系から公開Webへ直接通信不可" },
	{ ALL_MODELS, T(L), T(NET), D, 0, SEP2,
	    "D 経路分割: インターネット接続禁止" },
	/* from I */
	{ ALL_MODELS, T(I), T(M), D, 0, SEP1,
	    "D マイナンバー利用事務系へ通信不可" },
	{ ALL_MODELS, T(I), T(L), G, GW(SANITISER), SEP2,
	    "D 直接通信禁止; G 無害化 (無害化済みファイル・メールのみ)" },
	{ ALL_MODELS, T(I), T(I), A, 0, NONE, "A 同一系内" },
	{ ALL_MODELS, T(I), T(LG), D, 0, SEP2,
	    "D インターネット接続系からLGWAN不可" },
	{ ALL_MODELS, T(I), T(SC), A, 0, NONE,
	    "A プロキシ・メールリレー・DNS" },
	{ ALL_MODELS, T(I), T(DMZ), A, 0, NONE, "A 公開Web" },
	{ ALL_MODELS, T(I), T(NET), G, GW(PROXY) | GW(MAILRELAY) | GW(RESOLVER),
	    SEP3, "D 直接通信禁止; G SC経由 (プロキシ・メールリレー・DNS)" },
	/* from LG */
	{ ALL_MODELS, T(LG), T(M), E, GW(LGWAN_EP) | GW(TOKUTEI), SEP1,
	    "E 指定LGWAN接続先・特定通信のみ (M→LGの逆方向)" },
	{ ALL_MODELS, T(LG), T(L), A, 0, NONE, "A LGWAN" },
	{ ALL_MODELS, T(LG), T(I), D, 0, SEP2,
	    "D LGWANからインターネット接続系不可" },
	{ ALL_MODELS, T(LG), T(LG), A, 0, NONE, "A LGWAN" },
	{ ALL_MODELS, T(LG), T(SC), D, 0, SEP2,
	    "D 該当なし (LGWANはSCと接続しない)" },
	{ ALL_MODELS, T(LG), T(DMZ), D, 0, SEP2,
	    "D 該当なし (LGWANはSCと接続しない)" },
	{ ALL_MODELS, T(LG), T(NET), D, 0, SEP2,
	    "D LGWANはインターネットと閉域" },
	/* from SC (and DMZ, the same) */
	{ ALL_MODELS, T(SC), T(M), D, 0, SEP1,
	    "D マイナンバー利用事務系へ通信不可" },
	{ ALL_MODELS, T(SC), T(L), D, 0, SEP2,
	    "D 経路分割: SCからLGWAN接続系へ通信不可" },
	{ ALL_MODELS, T(SC), T(I), A, 0, NONE, "A 応答・中継メール" },
	{ ALL_MODELS, T(SC), T(LG), D, 0, SEP2,
	    "D 該当なし (SCはLGWANと接続しない)" },
	{ ALL_MODELS, T(SC), T(SC), A, 0, NONE, "A SC内" },
	{ ALL_MODELS, T(SC), T(DMZ), A, 0, NONE, "A SC内" },
	{ ALL_MODELS, T(SC), T(NET), A, 0, NONE, "A 検査後の送出" },
	{ ALL_MODELS, T(DMZ), T(M), D, 0, SEP1,
	    "D マイナンバー利用事務系へ通信不可" },
	{ ALL_MODELS, T(DMZ), T(L), D, 0, SEP2,
	    "D 経路分割: 公開WebからLGWAN接続系へ通信不可" },
	{ ALL_MODELS, T(DMZ), T(I), A, 0, NONE, "A 応答" },
	{ ALL_MODELS, T(DMZ), T(LG), D, 0, SEP2,
	    "D 該当なし (SCはLGWANと接続しない)" },
	{ ALL_MODELS, T(DMZ), T(SC), A, 0, NONE, "A SC内" },
	{ ALL_MODELS, T(DMZ), T(DMZ), A, 0, NONE, "A SC内" },
	{ ALL_MODELS, T(DMZ), T(NET), A, 0, NONE, "A 送出" },
	/* from NET */
	{ ALL_MODELS, T(NET), T(M), D, 0, SEP1,
	    "D マイナンバー利用事務系へ通信不可" },
	{ ALL_MODELS, T(NET), T(L), D, 0, SEP2,
	    "D 経路分割: インターネットからLGWAN接続系不可" },
	{ ALL_MODELS, T(NET), T(I), D, 0, SEP3,
	    "D 非要求の着信禁止; 応答はSC経由のみ" },
	{ ALL_MODELS, T(NET), T(LG), D, 0, SEP2,
	    "D LGWANはインターネットと閉域" },
	{ ALL_MODELS, T(NET), T(SC), G, GW(MAILRELAY) | GW(WAF), NET2,
	    "G メールリレー (SMTP着信), WAF/CDN (HTTP(S))" },
	{ ALL_MODELS, T(NET), T(DMZ), A, 0, NONE, "A 公開Web (WAF/CDN経由)" },
	{ ALL_MODELS, T(NET), T(NET), A, 0, NONE, "A 該当なし" },

	/* α′: L-tier terminals may reach designated cloud services through
     * a tightly limited local break-out. */
	{ M_ALPHA_P, T(L), T(SC), G, GW(CLOUD), SEP2,
	    "D (α′: G 指定クラウドサービスへのローカルブレイクアウトのみ)" },
	{ M_ALPHA_P, T(L), T(NET), G, GW(CLOUD), SEP2,
	    "D (α′: G 指定クラウドサービスへのローカルブレイクアウトのみ)" },
	/* β / β′: terminals sit in I and reach L business systems by screen
     * transfer through the broker; no screen client runs in L. */
	{ M_BETA | M_BETA_P, T(L), T(I), G, GW(FILEXFER), SEP2,
	    "D 直接通信禁止; G ファイル受渡し (L→I)" },
	{ M_BETA | M_BETA_P, T(I), T(L), G, GW(SANITISER) | GW(SCREEN), SEP2,
	    "D 直接通信禁止; G 無害化, 画面転送 (I→Lブローカー)" },
};

#undef A
#undef D
#undef G
#undef E

void
policy_matrix_fill(
    struct pcell m[POLICY_MODEL_COUNT][POLICY_TIER_COUNT][POLICY_TIER_COUNT])
{
	size_t i;
	int md;

	memset(m, 0,
	    sizeof(struct pcell) * POLICY_MODEL_COUNT * POLICY_TIER_COUNT *
		POLICY_TIER_COUNT);
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		for (md = 0; md < POLICY_MODEL_COUNT; md++) {
			struct pcell *c;

			if (!(rows[i].models & (1u << md)))
				continue;
			c = &m[md][rows[i].from][rows[i].to];
			c->cell = rows[i].cell;
			c->gw = rows[i].gw;
			c->use_case = rows[i].use_case;
			c->sev = rows[i].sev;
			c->note = rows[i].note;
		}
	}
}

static struct pcell static_m[POLICY_MODEL_COUNT][POLICY_TIER_COUNT]
			    [POLICY_TIER_COUNT];
static pthread_once_t static_once = PTHREAD_ONCE_INIT;

static void
static_fill(void)
{
	policy_matrix_fill(static_m);
}

enum policy_cell
policy_matrix_cell(enum policy_model model, enum policy_tier from,
    enum policy_tier to, unsigned *gw_mask, const char **text)
{
	const struct pcell *c;

	pthread_once(&static_once, static_fill);
	if ((unsigned)model >= POLICY_MODEL_COUNT ||
	    (unsigned)from >= POLICY_TIER_COUNT ||
	    (unsigned)to >= POLICY_TIER_COUNT || from == POLICY_TIER_UNKNOWN ||
	    to == POLICY_TIER_UNKNOWN) {
		if (gw_mask)
			*gw_mask = 0;
		if (text)
			*text = "?";
		return POLICY_CELL_D;
	}
	c = &static_m[model][from][to];
	if (gw_mask)
		*gw_mask = c->gw;
	if (text)
		*text = c->note;
	return c->cell;
}
