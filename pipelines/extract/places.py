"""The places the location rule may report: countries, regions, US states and large cities.

A short, hand-written list on purpose. The rule reports a site only when the article names one
of these in a place-like position, so a capitalised word that merely looks like a place (a
brand, a surname, a studio) is never taken for one. Names that are more often something else in
business news (Jordan the sneaker line, Mobile, Reading, Nice) are left out, and so are the
adjective forms ("European", "German"): turning those into a place would be guessing.
"""

from __future__ import annotations


def _names(block: str) -> frozenset[str]:
    return frozenset(name.strip() for name in block.split("|") if name.strip())


COUNTRIES = _names(
    """
    Argentina|Australia|Austria|Bangladesh|Belgium|Brazil|Britain|Bulgaria|Canada|Chile|China|Colombia|
    Costa Rica|Croatia|Czech Republic|Denmark|Egypt|England|Estonia|Finland|France|Germany|Ghana|Greece|
    Hong Kong|Hungary|India|Indonesia|Ireland|Israel|Italy|Japan|Kenya|Latvia|Lithuania|Luxembourg|Malaysia|
    Mexico|Morocco|Netherlands|New Zealand|Nigeria|Northern Ireland|Norway|Pakistan|Peru|Philippines|Poland|
    Portugal|Romania|Russia|Saudi Arabia|Scotland|Serbia|Singapore|Slovakia|South Africa|South Korea|Spain|
    Sri Lanka|Sweden|Switzerland|Taiwan|Thailand|Turkey|Ukraine|United Arab Emirates|United Kingdom|
    United States|Uruguay|Vietnam|Wales|U.S.|U.K.|UK|USA|UAE
    """)

REGIONS = _names(
    """
    Africa|Asia|Asia Pacific|Asia-Pacific|Central America|Eastern Europe|Europe|Latin America|Middle East|
    North America|Scandinavia|South America|Southeast Asia|Western Europe|EMEA|APAC|Silicon Valley|
    Bay Area|Pacific Northwest|Eastside
    """)

US_STATES = _names(
    """
    Alabama|Alaska|Arizona|Arkansas|California|Colorado|Connecticut|Delaware|Florida|Georgia|Hawaii|Idaho|
    Illinois|Indiana|Iowa|Kansas|Kentucky|Louisiana|Maine|Maryland|Massachusetts|Michigan|Minnesota|
    Mississippi|Missouri|Montana|Nebraska|Nevada|New Hampshire|New Jersey|New Mexico|New York|North Carolina|
    North Dakota|Ohio|Oklahoma|Oregon|Pennsylvania|Rhode Island|South Carolina|South Dakota|Tennessee|Texas|
    Utah|Vermont|Virginia|Washington|West Virginia|Wisconsin|Wyoming|Puerto Rico
    """)

CITIES = _names(
    """
    Amsterdam|Atlanta|Austin|Bangalore|Barcelona|Beaverton|Beijing|Bellevue|Bengaluru|Berlin|Boise|Boston|
    Cambridge|Charlotte|Chicago|Cologne|Copenhagen|Cupertino|Dallas|Denver|Detroit|Dublin|Edinburgh|
    Edmonton|Frankfurt|Fremont|Guangzhou|Hamburg|Houston|Hyderabad|Indianapolis|Istanbul|Kirkland|
    Las Vegas|Lisbon|London|Los Angeles|Madrid|Manchester|Melbourne|Menlo Park|Miami|Milan|Minneapolis|
    Montreal|Mountain View|Mumbai|Munich|Nashville|New Delhi|New York City|Oakland|Orlando|Ottawa|Palo Alto|
    Paris|Philadelphia|Phoenix|Pittsburgh|Portland|Prague|Pune|Raleigh|Redmond|Redwood City|Rome|Sacramento|
    Salt Lake City|San Antonio|San Diego|San Francisco|San Jose|Santa Clara|Santa Monica|Sao Paulo|
    Seattle|Seoul|Shanghai|Shenzhen|Stockholm|Sunnyvale|Sydney|Taipei|Tel Aviv|Tokyo|Toronto|Vancouver|
    Vienna|Warsaw|Washington, D.C.|Zurich|Chennai|Gurgaon|Noida|Manila|Krakow|Bucharest|Tallinn|Waterloo
    """)

PLACES = COUNTRIES | REGIONS | US_STATES | CITIES
