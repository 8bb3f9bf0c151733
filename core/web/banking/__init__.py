"""The web's face of the bank: the bank accounts suppliers are paid into — the staff's
queue of accounts waiting for a decision, their confirmation or rejection, an account
entered by staff — and the accounts of an entity's suppliers as its members see them."""
