"""Personal data: what the instance stores about a person, exported on request (GDPR
art. 15) and erased on request (art. 17) except what the law makes it keep (art.
17(3)(b)), for as long as the country's law says."""
