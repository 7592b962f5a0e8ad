"""gxschema.platform: the services' flags, config, rate limits and webhooks."""
