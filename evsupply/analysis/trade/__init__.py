"""Trade measures: the duty and the sale authorisation of a car in a market on a day (`policy`) and its landed
cost (`landed`).
"""
