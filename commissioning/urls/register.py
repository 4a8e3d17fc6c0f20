"""Risk register, progress reports, milestones and trajectories."""

urlpatterns: list = []
