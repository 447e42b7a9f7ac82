"""Shipping: sea routes (`routes`), the ports a plant or market uses (`ports`), the land and sea legs of a lane
(`legs`), the lanes a plant supplies (`lanes`), their volumes (`volumes`), their emissions (`emissions`) and the flows
that put them together (`flows`).
"""
