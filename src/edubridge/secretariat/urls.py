app_name = "secretariat"

urlpatterns: list = []  # type: ignore[type-arg]
