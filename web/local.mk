# web/ — the web view and JSON API, accounts and sessions (issue 6).
noinst_LIBRARIES += web/libweb.a
web_libweb_a_SOURCES = \
	web/cmd_web.c \
	web/cmd_user.c
