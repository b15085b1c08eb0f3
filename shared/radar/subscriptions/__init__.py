"""Subscribers: subscriptions and their schedule, signed links, exactly-once delivery, bounces."""
