/*
 * names.c — input checks shared by `seccloud user` and the users page:
 * account names and 団体コード (6 digits with the mod-11 check digit of
 * DOMAIN.md §G).
 */
#include "config.h"

#include <string.h>

#include "web/web.h"
#include "web/web_int.h"

int
web_name_valid(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n >= STORE_WEB_NAME_MAX || s[0] == '.' || s[0] == '-')
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
			(s[i] >= 'A' && s[i] <= 'Z') ||
			(s[i] >= '0' && s[i] <= '9') || s[i] == '.' ||
			s[i] == '_' || s[i] == '-' || s[i] == '@'))
			return 0;
	return 1;
}

int
web_muni_valid(const char *s)
{
	int sum = 0;

	if (strlen(s) != 6)
		return 0;
	for (int i = 0; i < 6; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	for (int i = 0; i < 5; i++)
		sum += (s[i] - '0') * (6 - i);
	return (11 - sum % 11) % 10 == s[5] - '0';
}
