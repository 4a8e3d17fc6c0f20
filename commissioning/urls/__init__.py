"""URLs of the plans area, one module per page area (plans and actions; risks and progress)."""

from commissioning.funding import urls as funding

from . import plans, register

app_name = "commissioning"

urlpatterns = [*plans.urlpatterns, *register.urlpatterns, *funding.urlpatterns]
