app_name = "counselling"
urlpatterns: list = []
