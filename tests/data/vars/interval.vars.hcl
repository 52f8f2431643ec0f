interval = 7
