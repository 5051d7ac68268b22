/*
 * The loaded configuration file (services/config.c).
 */
#ifndef SAFD_CONFIG_H
#define SAFD_CONFIG_H

#include <libxml/tree.h>

/* Loads and checks path; errors are logged with file and line.
 * Returns 0 or -EINVAL. */
int safd_config_load(const char *path);
/* The loaded document, or NULL when safd runs without a configuration. */
const xmlDoc *safd_config(void);
void safd_config_free(void);

#endif /* SAFD_CONFIG_H */
