"""The evening peak of a region, simulated with locust (`make peak`, docs/DEPLOY.md)."""
