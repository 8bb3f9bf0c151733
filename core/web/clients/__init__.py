"""The client directory on the web: an entity's clients, the cooperative's, a client's
page, the forms that create a business or a private person, and the client picker
every document form reuses."""
