"""The desk lists the tests import: the Jakarta file and five desks of Kec. Gambir."""

from __future__ import annotations

from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "data"
JAKARTA_CSV = DATA / "wilayah_31_jakarta.csv"  # the 318 desks of DKI Jakarta

GAMBIR_CSV = """code,name,level,parent_code,latitude,longitude
31,DKI Jakarta,provinsi,,-6.199049,106.834378
31.71,Jakarta Pusat,kabupaten_kota,31,-6.181483,106.828400
31.71.01,Gambir,kecamatan,31.71,-6.171454,106.818128
31.71.01.1001,Gambir,kelurahan_desa,31.71.01,-6.176384,106.826707
31.71.01.1002,Cideng,kelurahan_desa,31.71.01,-6.172980,106.808311
"""
