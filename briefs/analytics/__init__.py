"""Who is most active, what terms are normal, which stored deals are like one deal.

``scope`` narrows deals the same way for every question; ``league``, ``benchmark`` and
``similar`` each answer one of them. Front ends only translate options and render results.
"""
