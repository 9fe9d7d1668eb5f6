"""Material availability of open orders (CONTRACT.md section 3b): the pure computation
(engine), the inputs read from the database (inputs) and the stored result (store)."""
