/*
 * vars.c — the $NAME variables of rule headers: the caller's (from the
 * settings' vars), completed with defaults.  Packet sets get Suricata's
 * defaults (HOME_NET is RFC 1918, EXTERNAL_NET its complement, HTTP_PORTS
 * 80 ...); log sets get Sagan's, where HOME_NET and EXTERNAL_NET are "any"
 * because a log's addresses are whatever the message names, and Sagan's
 * port groups.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "common/xmalloc.h"
#include "rules/rules_int.h"

struct rule_vars {
	struct rule_var *v; /* owned copies */
	size_t n;
};

static const struct rule_var packet_defaults[] = {
	{ "HOME_NET", "[192.168.0.0/16,10.0.0.0/8,172.16.0.0/12]" },
	{ "EXTERNAL_NET", "!$HOME_NET" },
	{ "HTTP_SERVERS", "$HOME_NET" },
	{ "ADMIN_NET", "$HOME_NET" },
	{ "SMTP_SERVERS", "$HOME_NET" },
	{ "SQL_SERVERS", "$HOME_NET" },
	{ "DNS_SERVERS", "$HOME_NET" },
	{ "TELNET_SERVERS", "$HOME_NET" },
	{ "AIM_SERVERS", "$EXTERNAL_NET" },
	{ "DC_SERVERS", "$HOME_NET" },
	{ "DNP3_SERVER", "$HOME_NET" },
	{ "DNP3_CLIENT", "$HOME_NET" },
	{ "MODBUS_CLIENT", "$HOME_NET" },
	{ "MODBUS_SERVER", "$HOME_NET" },
	{ "ENIP_CLIENT", "$HOME_NET" },
	{ "ENIP_SERVER", "$HOME_NET" },
	{ "HTTP_PORTS", "80" },
	{ "SHELLCODE_PORTS", "!80" },
	{ "ORACLE_PORTS", "1521" },
	{ "SSH_PORTS", "22" },
	{ "DNP3_PORTS", "20000" },
	{ "MODBUS_PORTS", "502" },
	{ "FILE_DATA_PORTS", "[$HTTP_PORTS,110,143]" },
	{ "FTP_PORTS", "21" },
	{ "GENEVE_PORTS", "6081" },
	{ "VXLAN_PORTS", "4789" },
	{ "TEREDO_PORTS", "3544" },
};

/* Sagan 1.2's sagan.yaml address- and port-groups. */
static const struct rule_var log_defaults[] = {
	{ "HOME_NET", "any" },
	{ "EXTERNAL_NET", "any" },
	{ "HTTP_SERVERS", "any" },
	/* where administrators may log in from (GL-INT-04) */
	{ "ADMIN_NET", "[10.0.0.0/8,172.16.0.0/12,192.168.0.0/16]" },
	{ "SSH_PORT", "22" },
	{ "HTTP_PORT", "80" },
	{ "HTTPS_PORT", "443" },
	{ "TELNET_PORT", "23" },
	{ "DNS_PORT", "53" },
	{ "SNMP_PORT", "161" },
	{ "POP3_PORT", "110" },
	{ "IMAP_PORT", "143" },
	{ "SMTP_PORT", "25" },
	{ "MYSQL_PORT", "3306" },
	{ "MSSQL_PORT", "1433" },
	{ "NTP_PORT", "123" },
	{ "OPENVPN_PORT", "1194" },
	{ "PPTP_PORT", "1723" },
	{ "FTP_PORT", "21" },
	{ "RSYNC_PORT", "873" },
	{ "SQUID_PORT", "3128" },
	{ "HTTP_PORTS", "80" },
	/* aetas-groups, used by alert_time (our times are JST) */
	{ "SAGAN_HOURS", "0700-1800" },
	{ "SAGAN_DAYS", "12345" },
	/* misc-groups, used by meta_content */
	{ "RFC1918",
	    "10.,192.168.,172.16.,172.17.,172.18.,172.19.,172.20.,"
	    "172.21.,172.22.,172.23.,172.24.,172.25.,172.26.,172.27.,"
	    "172.28.,172.29.,172.30.,172.31." },
	{ "CREDIT_CARD_PREFIXES",
	    "4,34,37,300,301,302,303,304,305,2014,2149,309,36,38,39,54,55,"
	    "6011,6221,6222,6223,6224,6225,6226,6227,6228,6229,644,645,646,"
	    "647,648,649,65,636,637,638,639,22,23,24,25,26,27,51,52,53,53,55" },
	{ "WINDOWS_DOMAINS", "MYCOMPANYDOMAIN,EXAMPLEDOMAIN,ANOTHER_DOMAIN" },
	{ "PSEXEC_MD5",
	    "CD23B7C9E0EDEF184930BC8E0CA2264F0608BCB3,"
	    "9A46E577206D306D9D2B2AB2F72689E4F5F38FB1,"
	    "2EDEEFB431663F20A36A63C853108E083F4DA895,"
	    "B5C62D79EDA4F7E4B60A9CAA5736A3FDC2F1B27E,"
	    "A7F7A0F74C8B48F1699858B3B6C11EDA" },
};

const struct rule_var *
rule_default_vars(unsigned domain, size_t *n)
{
	if (domain & RULESET_PACKET) {
		*n = sizeof(packet_defaults) / sizeof(packet_defaults[0]);
		return packet_defaults;
	}
	*n = sizeof(log_defaults) / sizeof(log_defaults[0]);
	return log_defaults;
}

static int
has(const struct rule_vars *vs, const char *name)
{
	for (size_t i = 0; i < vs->n; i++)
		if (strcmp(vs->v[i].name, name) == 0)
			return 1;
	return 0;
}

static void
add(struct rule_vars *vs, const char *name, const char *value)
{
	struct rule_var *v;
	const char *nm = name[0] == '$' ? name + 1 : name;

	if (has(vs, nm))
		return;
	vs->v = xreallocarray(vs->v, vs->n + 1, sizeof(*vs->v));
	v = &vs->v[vs->n++];
	v->name = xstrdup(nm);
	v->value = xstrdup(value);
}

struct rule_vars *
rule_vars_new(const struct rule_var *user, size_t n, unsigned domain)
{
	struct rule_vars *vs = xcalloc(1, sizeof(*vs));
	const struct rule_var *d;
	size_t nd;

	for (size_t i = 0; i < n; i++)
		add(vs, user[i].name, user[i].value);
	d = rule_default_vars(domain, &nd);
	for (size_t i = 0; i < nd; i++)
		add(vs, d[i].name, d[i].value);
	return vs;
}

void
rule_vars_free(struct rule_vars *vs)
{
	if (vs == NULL)
		return;
	for (size_t i = 0; i < vs->n; i++) {
		free((char *)vs->v[i].name);
		free((char *)vs->v[i].value);
	}
	free(vs->v);
	free(vs);
}

const char *
rule_vars_get(const struct rule_vars *vs, const char *name)
{
	for (size_t i = 0; i < vs->n; i++)
		if (strcmp(vs->v[i].name, name) == 0)
			return vs->v[i].value;
	return NULL;
}

char *
rule_vars_text(const struct rule_vars *vs)
{
	size_t len = 1, off = 0;
	char *s;

	for (size_t i = 0; i < vs->n; i++)
		len += strlen(vs->v[i].name) + strlen(vs->v[i].value) + 2;
	s = xmalloc(len);
	for (size_t i = 0; i < vs->n; i++) {
		size_t a = strlen(vs->v[i].name), b = strlen(vs->v[i].value);

		memcpy(s + off, vs->v[i].name, a);
		off += a;
		s[off++] = '=';
		memcpy(s + off, vs->v[i].value, b);
		off += b;
		s[off++] = '\n';
	}
	s[off] = '\0';
	return s;
}
