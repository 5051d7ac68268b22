/*
 * The loaded configuration file (services/config.c, safd.conf(5)).
 */
#ifndef SAFD_CONFIG_H
#define SAFD_CONFIG_H

struct amf_model;

/* Loads, validates and builds the model from path; errors are logged with
 * file and line. Returns 0, -EINVAL (bad file) or -ENOMEM. */
int safd_config_load(const char *path);
/* The AMF model (amf/model.h), or NULL when safd runs without a
 * configuration file. Valid until safd_config_free(). */
const struct amf_model *safd_amf_model(void);
void safd_config_free(void);

#endif /* SAFD_CONFIG_H */
