"""Actions on cases: the closed loop under /api/v1/reports/{id}/…"""
