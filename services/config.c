/*
 * Configuration file loading. The file is XML, read with libxml2 without
 * network access; every error names the file and line. The root element is
 * <safd>; the AMF model inside it is read by the AMF engine.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <qb/qblog.h>

#include "core.h"
#include "safd_config.h"

static xmlDocPtr config_doc;

static void xml_error(void *ctx, const xmlError *err)
{
	const char *msg = err->message ? err->message : "unknown error\n";
	int len = (int)strlen(msg);

	if (len > 0 && msg[len - 1] == '\n')
		len--;
	qb_log(LOG_ERR, "%s:%d: %.*s", err->file ? err->file : (const char *)ctx,
	       err->line, len, msg);
}

int safd_config_load(const char *path)
{
	xmlDocPtr doc;
	xmlNodePtr root;

	if (access(path, R_OK) != 0) {
		qb_log(LOG_ERR, "%s: cannot read: %s", path, strerror(errno));
		return -EINVAL;
	}
	xmlSetStructuredErrorFunc((void *)path, (xmlStructuredErrorFunc)xml_error);
	doc = xmlReadFile(path, NULL, XML_PARSE_NONET);
	xmlSetStructuredErrorFunc(NULL, NULL);
	if (doc == NULL) {
		qb_log(LOG_ERR, "%s: cannot load the configuration", path);
		return -EINVAL;
	}
	root = xmlDocGetRootElement(doc);
	if (root == NULL || xmlStrcmp(root->name, BAD_CAST "safd") != 0) {
		qb_log(LOG_ERR, "%s:%d: the root element must be <safd>", path,
		       root ? (int)xmlGetLineNo(root) : 1);
		xmlFreeDoc(doc);
		return -EINVAL;
	}
	config_doc = doc;
	qb_log(LOG_INFO, "loaded configuration %s", path);
	return 0;
}

const xmlDoc *safd_config(void)
{
	return config_doc;
}

void safd_config_free(void)
{
	if (config_doc != NULL)
		xmlFreeDoc(config_doc);
	config_doc = NULL;
	xmlCleanupParser();
}
