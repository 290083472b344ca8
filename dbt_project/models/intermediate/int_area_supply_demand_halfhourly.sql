-- Area demand and variable renewables per JEPX delivery period, in two vintages: 'latest' (the
-- newest version of every row; fct_area_demand_halfhourly) and 'gate' (the version known at the
-- leakage gate; ML features). Grain: vintage x area_code x delivery_date x delivery_period.
-- Hourly legacy values (an hourly mean) stand for both half-hours of their hour. Residual load is
-- NULL when demand, solar or wind is missing (never computed with a missing term as 0).
-- The SQL is the macro area_supply_demand_halfhourly, which fct_area_demand_halfhourly renders
-- for its incremental window only.
{{ area_supply_demand_halfhourly() }}
