/*
 * Configuration file loading. The file is XML with the root element <safd>
 * (safd.conf(5)); amf/config.c reads it, validates it against the shipped
 * schema and builds the AMF model. Every error names the file and line; a
 * bad file stops safd before it touches corosync (main.c exits with 2).
 */
#include "config.h"

#include <stdio.h>

#include <libxml/parser.h>
#include <qb/qblog.h>

#include "../amf/model.h"
#include "safd_config.h"

static struct amf_model *amf_model;

int safd_config_load(const char *path)
{
	char summary[256];
	int rc;

	rc = amf_config_load(path, &amf_model);
	if (rc < 0)
		return rc;
	amf_model_summary(amf_model, summary, sizeof(summary));
	qb_log(LOG_NOTICE, "%s: loaded model: %s", path, summary);
	return 0;
}

const struct amf_model *safd_amf_model(void)
{
	return amf_model;
}

void safd_config_free(void)
{
	amf_model_free(amf_model);
	amf_model = NULL;
	xmlCleanupParser();
}
