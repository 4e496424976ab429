app_name = "psychology"
urlpatterns: list = []
