"""Drives minato's SNS with boto3 and prints what it saw as JSON.

Usage: sns_scenario.py <endpoint> subscribe <hook-url>
       sns_scenario.py <endpoint> confirm <topic-arn> <token>
"""
import json
import sys

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

endpoint, phase = sys.argv[1:3]
session = boto3.session.Session(aws_access_key_id="test", aws_secret_access_key="test", region_name="us-east-1")
sns = session.client("sns", endpoint_url=endpoint, config=Config(retries={"max_attempts": 1}))


def error(call):
    try:
        call()
    except ClientError as e:
        return {"code": e.response["Error"]["Code"], "status": e.response["ResponseMetadata"]["HTTPStatusCode"]}
    return None


if phase == "subscribe":
    topic = sns.create_topic(Name="boto", Tags=[{"Key": "via", "Value": "boto3"}])["TopicArn"]
    sub = sns.subscribe(TopicArn=topic, Protocol="http", Endpoint=sys.argv[3], ReturnSubscriptionArn=True)["SubscriptionArn"]
    print(json.dumps({"topic": topic, "subscription": sub}))
else:
    topic, token = sys.argv[3:5]
    confirmed = sns.confirm_subscription(TopicArn=topic, Token=token)["SubscriptionArn"]
    published = sns.publish(TopicArn=topic, Message="from boto3", Subject="boto",
                            MessageAttributes={"n": {"DataType": "Number", "StringValue": "42"},
                                               "b": {"DataType": "Binary", "BinaryValue": b"\x00\x01"}})["MessageId"]
    pages = sns.get_paginator("list_topics").paginate().build_full_result()
    print(json.dumps({
        "confirmed": confirmed,
        "messageId": published,
        "topics": [t["TopicArn"] for t in pages["Topics"]],
        "subscriptions": sns.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"],
        "tags": sns.list_tags_for_resource(ResourceArn=topic)["Tags"],
        "errors": {
            "notFound": error(lambda: sns.publish(TopicArn=topic + "-missing", Message="x")),
            "otherAccount": error(lambda: sns.delete_topic(TopicArn="arn:aws:sns:us-east-1:999999999999:boto")),
            "sqs": error(lambda: sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint="arn:aws:sqs:us-east-1:000000000000:q")),
            "fifo": error(lambda: sns.create_topic(Name="boto.fifo", Attributes={"FifoTopic": "true"})),
            "badToken": error(lambda: sns.confirm_subscription(TopicArn=topic, Token="0" * 10)),
            "missingMessage": error(lambda: sns.publish(TopicArn=topic, Message="")),
            "unknownAttribute": error(lambda: sns.set_topic_attributes(TopicArn=topic, AttributeName="KmsMasterKeyId", AttributeValue="k")),
        },
    }))
