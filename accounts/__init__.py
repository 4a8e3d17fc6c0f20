"""Signing in: who the client is (behind trusted proxies only), lock-outs after failed sign-ins,
limits on password reset emails, and each user's sessions, which end when they are deactivated."""
