-- JMA hourly observations from etrn pages (fallback): one row per station x hour (start, JST).
{{ stg_jma_hourly(source('jma', 'hourly_etrn')) }}
