app_name = "accompaniment"
urlpatterns: list = []
