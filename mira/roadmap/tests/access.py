ROUTES: dict = {}
