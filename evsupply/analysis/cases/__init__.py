"""Cases: the atlas of China-linked car plants outside China (`atlas`) and one case's state of play on a day
(`state`: may the car be sold, its duty, the latest count, who controls the maker, the plant's status), as data.
"""
